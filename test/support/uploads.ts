import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/**
 * Feed uploads over real HTTP, as a browser, curl or an attacker sends them: a whole file, a
 * file that trickles in a byte at a time, and multipart bodies that are cut short or malformed.
 * Shared by the upload tests and scripts/upload-probe.ts.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers read arbitrary JSON
type Json = any;

export interface UploadAnswer {
  status: number;
  body: Json;
  text: string;
  /** Milliseconds from the first byte sent to the answer's end. */
  ms: number;
}

const parsed = (text: string): Json => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** POSTs `bytes` as the part `file` of a multipart form (with `fields` before it). */
export async function uploadFile(
  url: string,
  key: string,
  bytes: Buffer,
  fileName: string,
  options: { type?: string; fields?: Record<string, string>; timeoutMs?: number } = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  form.append('file', new Blob([bytes], { type: options.type ?? '' }), fileName);
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
  const text = await response.text();
  return { status: response.status, body: parsed(text), text, ms: Date.now() - started };
}

export interface RawAnswer {
  status: number;
  text: string;
  body: Json;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Sends a request whose body is written by `write` over a raw socket, and answers as soon as the
 * server does, even while the body is still being sent (an early 4xx must be seen as early).
 */
export function rawRequest(
  url: string,
  headers: Record<string, string>,
  write: (req: ReturnType<typeof httpRequest>) => Promise<void> | void,
): { answer: Promise<RawAnswer>; abort: () => void } {
  const started = Date.now();
  const req = httpRequest(url, { method: 'POST', headers });
  const answer = new Promise<RawAnswer>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text,
          body: parsed(text),
          ms: Date.now() - started,
          headers: res.headers,
        }),
      );
    });
    // No answer at all (the connection reset, or the test aborted it) reads as status 0; a
    // write failing after the server answered and closed leaves the answer as it was.
    req.on('error', () =>
      setTimeout(
        () =>
          resolve({ status: 0, text: '', body: undefined, ms: Date.now() - started, headers: {} }),
        50,
      ),
    );
  });
  void Promise.resolve(write(req)).catch(() => undefined);
  return { answer, abort: () => req.destroy() };
}

/** A multipart preamble: the fields, then the head of the part `file`. */
export function multipartHead(
  boundary: string,
  fileName: string,
  fields: Record<string, string> = {},
) {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(
    `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
}

/**
 * An upload that sends its preamble, then `content` one byte every `intervalMs`, never ending
 * on its own (the test stops it): what a slow-loris uploader does. With `stallAfter`, it stops
 * sending after that many bytes and holds the connection open.
 */
export function trickleUpload(
  url: string,
  key: string,
  options: { intervalMs: number; stallAfter?: number; content?: string },
) {
  const content = options.content ?? 'avail_id,name\n';
  const boundary = `trickle-${randomBytes(8).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  let sent = 0;
  const request = rawRequest(
    url,
    {
      authorization: `Bearer ${key}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
    },
    (req) => {
      req.write(multipartHead(boundary, 'slow.csv'));
      timer = setInterval(() => {
        if (req.destroyed || req.writableEnded) return clearInterval(timer);
        if (options.stallAfter !== undefined && sent >= options.stallAfter) return;
        req.write(content[sent % content.length]!);
        sent += 1;
      }, options.intervalMs);
      req.on('close', () => clearInterval(timer));
    },
  );
  return {
    answer: request.answer,
    stop: () => {
      clearInterval(timer);
      request.abort();
    },
  };
}
