import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { progressBar } from './progress.js';
import { dataOf } from './server-answer.js';

export { ImportRefused } from './server-answer.js';

export interface ImportOfferingsOptions {
  file: string;
  /** The server's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  key: string;
  advertiser: string;
  catalog: string;
  format?: 'csv' | 'jsonl';
  /** Progress goes here (stderr by default). */
  progress?: NodeJS.WriteStream;
}

/**
 * Streams a JSON-lines or CSV file to POST …/catalogs/{catalogId}/offerings/import with a
 * progress bar, and answers the server's import summary (the envelope's data). Throws with the
 * server's error message when it refuses.
 */
export async function importOfferings(
  options: ImportOfferingsOptions,
): Promise<Record<string, unknown>> {
  const size = statSync(options.file).size;
  const format = options.format ?? (options.file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const bar = progressBar(size, 'uploading', options.progress);
  let sent = 0;
  const file = createReadStream(options.file);
  file.on('data', (chunk) => {
    sent += chunk.length;
    bar.update(sent);
  });
  const target = new URL(
    `/api/v2/buyer/advertisers/${encodeURIComponent(options.advertiser)}/catalogs/${encodeURIComponent(options.catalog)}/offerings/import`,
    options.url,
  );
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.key}`,
      'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    },
    body: Readable.toWeb(file) as ReadableStream<Uint8Array>,
    // Node's fetch streams a request body only in half-duplex mode.
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  bar.finish(sent);
  return dataOf(response, 'the import');
}
