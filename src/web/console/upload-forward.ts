import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

/** A console form sent as multipart/form-data: the fields before its file, and the file. */
export interface ConsoleUpload {
  fields: Record<string, string>;
  file: Readable;
  filename: string;
  mimetype: string;
}

/**
 * Reads a console form that carries a file (its file input last, so the token and the other
 * fields arrive first). The file is not read here: it is streamed on to the API route, whose
 * own size limit judges it (this side lets one byte more through, so an oversized file reaches
 * the route as oversized rather than cut to fit). Undefined for a request with no file part.
 */
export async function readConsoleUpload(
  request: FastifyRequest,
  maxBytes: number,
): Promise<ConsoleUpload | undefined> {
  if (!request.isMultipart()) return undefined;
  const part = await request.file({
    limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  });
  if (!part) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field') fields[name] = String(field.value);
  }
  return { fields, file: part.file, filename: part.filename, mimetype: part.mimetype };
}

/** Lets the rest of an upload the API did not read pass, so the request completes. */
export function drain(upload: ConsoleUpload): void {
  if (!upload.file.readableEnded && !upload.file.destroyed) upload.file.resume();
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
