import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { progressBar } from './progress.js';
import { dataOf, ImportRefused } from './server-answer.js';

export interface FeedUploadOptions {
  file: string;
  /** The server's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  key: string;
  sourceId: string;
  /** Commit the previewed revision when the preview refused no row (or always, with `force`). */
  commit?: boolean;
  force?: boolean;
  /** Progress goes here (stderr by default). */
  progress?: NodeJS.WriteStream;
}

const contentTypes: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
};

/**
 * Streams an avails file (CSV, XLSX, JSON, JSON lines) to a modular source's …/feed/upload as
 * multipart, with a progress bar, and answers the preview; with `commit`, commits exactly that
 * revision unless the preview refused rows (`force` commits the rows that passed anyway).
 */
export async function uploadFeed(options: FeedUploadOptions): Promise<Record<string, unknown>> {
  const size = statSync(options.file).size;
  const name = basename(options.file);
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  const boundary = `----interchange${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="contractId"\r\n\r\nstatic-avails-feed:v1\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/"/g, '')}"\r\n` +
      `Content-Type: ${contentTypes[extension] ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const bar = progressBar(size, 'uploading', options.progress);
  let sent = 0;
  async function* body() {
    yield head;
    for await (const chunk of createReadStream(options.file)) {
      sent += (chunk as Buffer).length;
      bar.update(sent);
      yield chunk as Buffer;
    }
    yield tail;
  }
  const base = `/api/v2/storefront/inventory-sources/${encodeURIComponent(options.sourceId)}`;
  const preview = await send(options, `${base}/feed/upload`, {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
    duplex: 'half',
  });
  bar.finish(sent);
  if (!options.commit) return { preview };
  const summary = preview['summary'] as { rejectedRowCount?: number } | undefined;
  if ((summary?.rejectedRowCount ?? 0) > 0 && !options.force) {
    throw new ImportRefused(
      `The preview refused ${summary?.rejectedRowCount} row(s); nothing was committed (fix the file, or commit the rest with --force)`,
    );
  }
  const committed = await send(options, `${base}/feed/commit`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      feedId: preview['feedId'],
      previewBaseline: preview['previewBaseline'],
      revision: preview['revision'],
    }),
  });
  return { preview, committed };
}

async function send(
  options: FeedUploadOptions,
  path: string,
  init: { headers: Record<string, string>; body: RequestInit['body']; duplex?: 'half' },
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, options.url), {
    method: 'POST',
    ...init,
    headers: { authorization: `Bearer ${options.key}`, ...init.headers },
  } as RequestInit);
  return dataOf(response, 'the feed');
}
