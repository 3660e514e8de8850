import type {} from '@fastify/multipart';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../errors.js';
import { findUnstorableInput } from '../storable-input.js';
import { watchBody } from './body-watch.js';
import type { UploadGate } from './gate.js';

/** An uploaded file, whole on local disk, with the form fields sent before it. */
export interface SpooledFile {
  /** The spool file: read it (any number of times) while `use` runs; it is removed after. */
  path: string;
  fileName: string;
  mimetype: string;
  size: number;
  /** sha256 of the bytes, `sha256:<hex>`. */
  digest: string;
  fields: Record<string, string>;
}

/**
 * An upload route's body, received before anything reads it: a slot of the gate is taken first
 * (429/503 when none), then `handle` runs and calls `receive` when it wants the file (after its
 * own checks, so a refusal costs no bytes). `receive` writes the file part to a spool file under
 * the gate's limits (413 as soon as one byte too many arrives, 408 when the body stalls or takes
 * too long, 400 when the multipart is malformed or a field or the file name holds text the
 * database cannot store) and answers it once it has all arrived. No database connection is
 * asked for while the bytes arrive, however slowly. The slot is held and the spool kept until
 * `handle` settles; after a refusal given before the body ended, the rest of it is discarded
 * for a moment and the connection then closed (discardRestOfBody).
 */
export async function receiveUpload<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  gate: UploadGate,
  owner: string,
  handle: (receive: () => Promise<SpooledFile>) => Promise<T>,
): Promise<T> {
  const release = gate.acquire(owner);
  let dir: string | undefined;
  const receive = () =>
    spoolUpload(request, gate.limits, async () => {
      dir = await mkdtemp(join(tmpdir(), 'interchange-upload-'));
      return join(dir, 'file');
    });
  try {
    return await handle(receive);
  } catch (error) {
    discardRestOfBody(request, reply);
    throw error;
  } finally {
    release();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

// How long the rest of a refused body is read and thrown away before the connection is closed.
const lingerMs = 2000;

/**
 * For an answer given while the client is still sending (413 at the byte past the limit, 408,
 * 429): once the answer is written, what still arrives is read and thrown away for a moment,
 * then the connection is closed. Closing at once with bytes unread makes TCP reset the
 * connection, and a client still writing would lose the answer; reading on for ever would let
 * it send us any amount. A body that ends within the moment leaves the connection reusable.
 */
export function discardRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  const body = request.raw;
  if (body.readableEnded || body.destroyed) return;
  const discard = () => {
    body.unpipe();
    body.on('data', () => undefined);
    body.resume();
    // An in-process request (the console's call to the API) has a socket without destroy.
    const socket = body.socket as { destroy?: () => void } | undefined;
    const timer = setTimeout(() => socket?.destroy?.(), lingerMs);
    timer.unref();
    const settled = () => clearTimeout(timer);
    body.once('end', settled);
    body.once('close', settled);
  };
  if (reply.raw.writableFinished) discard();
  else reply.raw.once('finish', discard);
}

async function spoolUpload(
  request: FastifyRequest,
  limits: UploadGate['limits'],
  spoolPath: () => Promise<string>,
): Promise<SpooledFile> {
  const pending = filePart(request, limits.maxBytes);
  // Settled after the watch expired, it is nobody's unhandled rejection.
  pending.catch(() => undefined);
  // The request is being read from here on (request.file() piped it into the parser).
  const watch = watchBody(request.raw, limits);
  try {
    const part = await Promise.race([pending, watch.expired]);
    const fields = fieldsOf(part);
    const path = await spoolPath();
    const { size, digest } = await spoolPart(part, path, limits.maxBytes, watch.signal);
    return { path, fileName: part.filename, mimetype: part.mimetype, size, digest, fields };
  } finally {
    watch.stop();
  }
}

/**
 * The file part of a multipart request, with the fields sent before it; the refusals a client
 * caused (not multipart, no boundary, no part named file, malformed) are 400s naming `file`.
 * `maxBytes`: the parser stops the part one byte past it (the reader refuses at that byte).
 */
export async function filePart(request: FastifyRequest, maxBytes: number): Promise<MultipartFile> {
  if (!request.isMultipart()) {
    throw invalid('Send the file as multipart/form-data with a part named file', 'file');
  }
  let part: MultipartFile | undefined;
  try {
    part = await request.file({
      limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024 },
      throwFileSizeLimit: false,
    });
  } catch (error) {
    throw multipartError(error);
  }
  // What is left of a refused body is not read: the answer closes the connection.
  if (!part || part.fieldname !== 'file') {
    throw invalid('A part named file is required', 'file');
  }
  const unstorable = findUnstorableInput(part.filename);
  if (unstorable) {
    throw invalid(`The file name ${unstorable.problem}`, 'file');
  }
  return part;
}

/** The form fields sent before the file, as text; one holding unstorable text is a 400 naming it. */
export function fieldsOf(part: MultipartFile): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && name !== 'file') fields[name] = String(field.value);
  }
  const unstorable = findUnstorableInput(fields);
  if (unstorable) {
    const field = unstorable.path.join('.');
    throw invalid(`${field || 'A form field'}: ${unstorable.problem}`, field || undefined);
  }
  return fields;
}

async function spoolPart(
  part: MultipartFile,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ size: number; digest: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(
          new AppError('too_large', `The file is larger than ${maxBytes} bytes; split it`, {
            field: 'file',
            details: { limit: 'INTERCHANGE_UPLOAD_MAX_BYTES', maxBytes },
          }),
        );
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, counted, createWriteStream(path, { flags: 'wx', mode: 0o600 }), {
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw multipartError(error);
  }
  return { size, digest: `sha256:${hash.digest('hex')}` };
}

// Failures of our own disk, not of the client's body.
const diskErrors = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EMFILE', 'ENFILE']);

/** What went wrong reading a multipart body, as the client should hear it. */
export function multipartError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && diskErrors.has(code)) {
    return new AppError(
      'unavailable',
      'This server has no room to receive the file now; retry later',
      {
        retryAfter: 30,
      },
    );
  }
  const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : '';
  if (/boundary/i.test(message)) {
    return invalid(
      'multipart/form-data needs a boundary: send Content-Type: multipart/form-data; boundary=…',
      'file',
    );
  }
  if (typeof code === 'string' && /LIMIT$/.test(code)) {
    return invalid('The form has too many parts: send one file and at most 20 fields', 'file');
  }
  return invalid(`The multipart body could not be read: ${message || 'malformed'}`, 'file');
}
