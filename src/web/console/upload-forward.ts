import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { watchBody } from '../../platform/uploads/body-watch.js';
import type { UploadLimits } from '../../platform/uploads/gate.js';
import { fieldsOf, filePart } from '../../platform/uploads/receive.js';

/** A console form sent as multipart/form-data: the fields before its file, and the file. */
export interface ConsoleUpload {
  fields: Record<string, string>;
  file: Readable;
  filename: string;
  mimetype: string;
}

/**
 * Reads a console form that carries a file (its file input last, so the token and the other
 * fields arrive first), under the upload limits' idle and total deadlines until the file part
 * begins (408), with the API's own refusals of a malformed form (400). The file is not read
 * here: it is streamed on to the API route, which spools it under its own deadlines and judges
 * its size (this side lets one byte more through, so an oversized file reaches the route as
 * oversized rather than cut to fit). Undefined for a request that is not multipart.
 */
export async function readConsoleUpload(
  request: FastifyRequest,
  limits: Pick<UploadLimits, 'maxBytes' | 'idleMs' | 'bodyMs'>,
): Promise<ConsoleUpload | undefined> {
  if (!request.isMultipart()) return undefined;
  const pending = filePart(request, limits.maxBytes);
  // Settled after the watch expired, it is nobody's unhandled rejection.
  pending.catch(() => undefined);
  const watch = watchBody(request.raw, limits);
  try {
    const part = await Promise.race([pending, watch.expired]);
    return {
      fields: fieldsOf(part),
      file: part.file,
      filename: part.filename,
      mimetype: part.mimetype,
    };
  } finally {
    watch.stop();
  }
}

/**
 * The upload as a multipart body for the API route: `fields` first, then the file part named
 * `file`, streamed as it arrives (never held whole). The boundary is random, so nothing typed
 * in a field can end a part.
 */
export function multipartBody(
  fields: Record<string, string>,
  upload: Pick<ConsoleUpload, 'file' | 'filename' | 'mimetype'>,
): { bytes: Readable; contentType: string } {
  const boundary = `interchange-console-${randomBytes(16).toString('hex')}`;
  const quoted = (s: string) => s.replace(/["\r\n\\]/g, '_');
  const head =
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(upload.filename)}"\r\n` +
    `Content-Type: ${quoted(upload.mimetype || 'application/octet-stream')}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const bytes = Readable.from(
    (async function* () {
      yield Buffer.from(head);
      for await (const chunk of upload.file) yield chunk as Buffer;
      yield Buffer.from(tail);
    })(),
  );
  return { bytes, contentType: `multipart/form-data; boundary=${boundary}` };
}
