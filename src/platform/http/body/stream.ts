import { AppError } from '../../errors.js';
import type { FastifyInstance } from 'fastify';

/** Content types a route reads as a stream itself (bulk imports), never buffered whole. */
export const streamedBodyTypes = ['application/x-ndjson', 'application/jsonl', 'text/csv'];

/**
 * Bodies of the streamed types reach the handler as the request stream: a bulk import of any
 * size is read record by record. Routes that expect JSON refuse them (400, not an object).
 */
export function registerStreamedBodies(app: FastifyInstance): void {
  app.addContentTypeParser(streamedBodyTypes, (_request, payload, done) => done(null, payload));
}

/**
 * The body as text chunks, refused with 413 once it passes `maxBytes` (the server-wide body
 * limit does not apply to a streamed body). A multi-byte character split across chunks is
 * decoded whole.
 */
export async function* textChunks(
  body: AsyncIterable<Buffer>,
  maxBytes: number,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > maxBytes)
      throw new AppError('too_large', `The body is larger than ${maxBytes} bytes; split the file`);
    yield decoder.decode(chunk, { stream: true });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
