import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline.js';
import { OutboundResponseTooLargeError } from './errors.js';
import { isRedirectStatus } from './redirect.js';

/**
 * What the lean exchange (client.ts) got: a JSON `answer` read whole, or any `other` response,
 * its body still to be read through the usual limits.
 */
export type LeanAnswer =
  { kind: 'answer'; response: Response } | { kind: 'other'; response: Response };

const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);
const jsonType = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * A request body undici's `request` sends as is, with the headers fetch would have added for
 * it; undefined for a body only fetch sends (a stream, a Blob, FormData).
 */
export function plainBodyOf(
  body: unknown,
  headers: Headers,
): { payload: string | Uint8Array | null; headers: Record<string, string> } | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = value;
  out['accept'] ??= '*/*';
  if (body === null || body === undefined) return { payload: null, headers: out };
  if (typeof body === 'string') {
    out['content-type'] ??= 'text/plain;charset=UTF-8';
    return { payload: body, headers: out };
  }
  if (body instanceof Uint8Array) return { payload: body, headers: out };
  if (body instanceof ArrayBuffer) return { payload: new Uint8Array(body), headers: out };
  if (body instanceof URLSearchParams) {
    out['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return { payload: body.toString(), headers: out };
  }
  return undefined;
}

/**
 * Reads an uncompressed JSON answer whole into a Response (the deadline still runs; more than
 * `maxBytes` fails it); any other answer becomes a Response over its (decoded) body stream.
 */
export async function readJsonAnswer(
  answer: Dispatcher.ResponseData,
  url: URL,
  maxBytes: number,
  deadline: Deadline,
  redirected: boolean,
): Promise<LeanAnswer> {
  // Reading reports the body's errors; an abort after reading ended (the deadline, the caller's
  // signal) must not become an unhandled 'error' event.
  answer.body.on('error', () => undefined);
  const status = answer.statusCode;
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  if (nullBodyStatuses.has(status)) {
    answer.body.destroy();
    return { kind: 'other', response: new Response(null, { status, headers }) };
  }
  const encoding = headers.get('content-encoding');
  const json =
    jsonType.test(headers.get('content-type') ?? '') && !encoding && !isRedirectStatus(status);
  if (!json) {
    const body = webStreamOf(decoded(answer.body, encoding));
    return { kind: 'other', response: new Response(body, { status, headers }) };
  }
  const declared = Number(headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    answer.body.destroy();
    deadline.clear();
    throw new OutboundResponseTooLargeError(
      'content_length',
      `Response from ${url.host} declares ${declared} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of answer.body as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      answer.body.destroy();
      deadline.clear();
      throw new OutboundResponseTooLargeError(
        'body',
        `Response body exceeded the ${maxBytes}-byte limit`,
      );
    }
    chunks.push(chunk);
  }
  deadline.clear();
  const response = new Response(Buffer.concat(chunks, received), { status, headers });
  // The constructor cannot set these; callers resolving relative links rely on them.
  Object.defineProperties(response, {
    url: { value: url.href },
    redirected: { value: redirected },
  });
  return { kind: 'answer', response };
}

/**
 * `body` as a web stream, pulled chunk by chunk (Node 20's Readable.toWeb can throw "Controller
 * is already closed" when the reader cancels while a chunk is in flight).
 */
function webStreamOf(body: Readable): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(new Uint8Array(next.value));
        } catch (error) {
          try {
            controller.error(error);
          } catch {
            // Cancelled meanwhile: nobody is reading any more.
          }
        }
      },
      async cancel() {
        body.destroy();
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** fetch decodes these content codings; request does not. */
function decoded(body: Readable, encoding: string | null): Readable {
  const decoder = (() => {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return createGunzip();
      case 'deflate':
        return createInflate();
      case 'br':
        return createBrotliDecompress();
      default:
        return undefined;
    }
  })();
  // pipeline: an error or abort on either side tears down both.
  return decoder ? pipeline(body, decoder, () => undefined) : body;
}
