/**
 * The upload attacks of issue 45 (items 1-3) replayed against a running server (slow uploads,
 * an oversized file, zip bombs, empty rows, out-of-range row numbers, unstorable text, other
 * encodings, deep JSON, malformed multipart), then a sweep of honest CSV and XLSX files of 10k,
 * 50k and 100k rows and one of 250k: a markdown table of what each got, how long, and the
 * server's RSS growth while it ran (its peak over its RSS before).
 *
 *   npx tsx scripts/upload-probe.ts <baseUrl> <sellerKey> [--pid N | --metrics-token T]
 *       [--buyer-key K] [--only a,b] [--timeout-seconds 120] [--trickles 12]
 * The seller key's storefront gets a modular source of its own (`upload-probe-…`). RSS: from
 * /proc/<pid>/status with --pid, else /metrics with --metrics-token (INTERCHANGE_METRICS=1).
 * --buyer-key adds another tenant's read to the reads timed while uploads trickle.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rawRequest, trickleUpload, uploadFile } from '../test/support/uploads.js';
import {
  availsCsv,
  availsXlsx,
  inflationBomb,
  rowNumberXlsx,
  sharedStringsBomb,
  unnumberedEmptyRowsXlsx,
} from '../test/support/xlsx-files.js';
import { badLines, deep, header, row, utf16be } from './probes/upload-rows.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pid: { type: 'string' },
    'metrics-token': { type: 'string' },
    'buyer-key': { type: 'string' },
    only: { type: 'string' },
    'timeout-seconds': { type: 'string', default: '120' },
    // More than the server's pool (DATABASE_POOL_MAX, 10 by default).
    trickles: { type: 'string', default: '12' },
  },
});
const [base, key] = positionals as [string | undefined, string | undefined];
if (!base || !key) {
  process.stderr.write('usage: upload-probe.ts <baseUrl> <sellerKey> [options]\n');
  process.exit(2);
}
const timeoutMs = Number(flags['timeout-seconds']) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The server's resident memory now, in bytes, if we can tell. */
async function rss(): Promise<number | undefined> {
  if (flags.pid) {
    const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${flags.pid}/status`, 'utf8'));
    return line ? Number(line[1]) * 1024 : undefined;
  }
  if (flags['metrics-token']) {
    const res = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${flags['metrics-token']}` },
    }).catch(() => undefined);
    const text = res?.ok ? await res.text() : '';
    const line = /^interchange_process_resident_memory_bytes (\d+)/m.exec(text);
    return line ? Number(line[1]) : undefined;
  }
  return undefined;
}

/** Samples RSS every 100 ms while `work` runs: its peak over the RSS before. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; growth?: number }> {
  const before = await rss();
  let peak = before ?? 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await rss()) ?? 0);
      await sleep(100);
    }
  })();
  try {
    const result = await work();
    return { result, ...(before !== undefined && { growth: peak - before }) };
  } finally {
    running = false;
    await sampler;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers read as arbitrary JSON
type Json = any;

interface Outcome {
  got: string;
  ms: number;
  note?: string;
}

const said = (a: { status: number; body?: { error?: { code?: string; message?: string } } }) =>
  a.status === 0
    ? 'no answer'
    : `${a.status}${a.body?.error ? ` ${a.body.error.code}: ${String(a.body.error.message).slice(0, 90)}` : ''}`;
let sourceUrl = '';
async function upload(bytes: Buffer, name: string): Promise<Outcome> {
  const answer = await uploadFile(`${sourceUrl}/feed/upload`, key!, bytes, name, {
    timeoutMs,
  }).catch(() => ({ status: 0, body: undefined as Json, ms: timeoutMs }));
  const summary = answer.body?.data?.summary;
  return {
    got: summary
      ? `${answer.status}: ${summary.parsedAvailCount} accepted, ${summary.rejectedRowCount} refused`
      : said(answer),
    ms: answer.ms,
  };
}

async function json(path: string, body: unknown): Promise<Outcome> {
  const started = Date.now();
  const res = await fetch(`${sourceUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch(() => undefined);
  const parsed: Json = res ? await res.json().catch(() => undefined) : undefined;
  const data = parsed?.data;
  const refused = data?.rejectedRows?.length ?? data?.summary?.rejectedRowCount;
  return {
    got: res
      ? data
        ? `${res.status}: ${refused ?? 0} rows refused`
        : said({ status: res.status, body: parsed })
      : 'no answer',
    ms: Date.now() - started,
  };
}

/** Uploads trickling a byte every 1.5 s for 9 s, then stalling, while reads are timed. */
async function trickles(): Promise<Outcome> {
  const started = Date.now();
  const slow = Array.from({ length: Number(flags.trickles) }, () =>
    trickleUpload(`${sourceUrl}/feed/upload`, key!, { intervalMs: 1500, stallAfter: 6 }),
  );
  const reads: Array<{ status: number; ms: number }> = [];
  const targets: Array<[string, string | undefined]> = [
    [`${base}/ready`, undefined],
    [`${base}/api/v2/storefront`, key],
    ...(flags['buyer-key']
      ? [[`${base}/api/v2/buyer/storefronts`, flags['buyer-key']] as [string, string]]
      : []),
  ];
  let done = false;
  const answers = Promise.all(slow.map((t) => t.answer)).then((a) => ((done = true), a));
  while (!done && Date.now() - started < timeoutMs) {
    for (const [url, auth] of targets) {
      const t0 = Date.now();
      const res = await fetch(url, {
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
        signal: AbortSignal.timeout(5000),
      }).catch(() => undefined);
      reads.push({ status: res?.status ?? 0, ms: Date.now() - t0 });
    }
    await sleep(1000);
  }
  slow.forEach((t) => t.stop());
  const got = await Promise.race([
    answers,
    sleep(1000).then(() => slow.map(() => ({ status: 0 }))),
  ]);
  const counts = new Map<string, number>();
  for (const a of got) {
    const status = String(a.status || 'no answer');
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const failed = reads.filter((r) => r.status !== 200).length;
  return {
    got: [...counts].map(([s, n]) => `${n}× ${s}`).join(', '),
    ms: Date.now() - started,
    note: `reads meanwhile: ${reads.length - failed}/${reads.length} answered 200, slowest ${Math.max(...reads.map((r) => r.ms))} ms`,
  };
}

/** A file of 80 MB of avails streamed as fast as the server takes it; stops when it answers. */
async function oversized(): Promise<Outcome> {
  const boundary = `probe-${randomBytes(6).toString('hex')}`;
  const chunk = Buffer.from(`${row('big')}\n`.repeat(512));
  let sent = 0;
  let answered = false;
  const { answer, abort } = rawRequest(
    `${sourceUrl}/feed/upload`,
    {
      authorization: `Bearer ${key}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
    },
    async (req) => {
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\navail_id,name\n`,
      );
      while (!answered && sent < 80 * 1024 * 1024 && !req.destroyed) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        sent += chunk.length;
      }
      if (!answered && !req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
    },
  );
  const got = await Promise.race([
    answer,
    sleep(timeoutMs).then(() => ({ status: 0, ms: timeoutMs, body: undefined })),
  ]);
  answered = true;
  abort();
  return { got: said(got), ms: got.ms, note: `${mb(sent)} sent when answered` };
}

async function twoBombs(bomb: Buffer): Promise<Outcome> {
  const started = Date.now();
  const both = await Promise.all([upload(bomb, 'a.xlsx'), upload(bomb, 'b.xlsx')]);
  return { got: both.map((b) => b.got).join(' / '), ms: Date.now() - started };
}

async function multipart(contentType: string, body: string, end = true): Promise<Outcome> {
  const { answer } = rawRequest(
    `${sourceUrl}/feed/upload`,
    { authorization: `Bearer ${key}`, 'content-type': contentType, 'transfer-encoding': 'chunked' },
    (req) => void (end ? req.end(body) : req.write(body)),
  );
  const got = await Promise.race([
    answer,
    sleep(timeoutMs).then(() => ({ status: 0, ms: timeoutMs, body: undefined })),
  ]);
  return { got: said(got), ms: got.ms };
}

const attacks: Array<[string, string, () => Promise<Outcome>]> = [
  [
    'trickle',
    `${flags.trickles} uploads trickling a byte every 1.5 s, then stalling (item 1)`,
    trickles,
  ],
  ['oversized', 'an 80 MB file streamed as fast as taken (issue 44: 413 at once)', oversized],
  [
    'bomb',
    'XLSX of 30 M empty shared strings (item 2)',
    () => upload(sharedStringsBomb(30_000_000), 'bomb.xlsx'),
  ],
  ['bombs', 'two of those at once', () => twoBombs(sharedStringsBomb(30_000_000))],
  [
    'inflation',
    'XLSX whose sheet inflates to 1 GB',
    () => upload(inflationBomb(1024 * 1024 * 1024), 'big.xlsx'),
  ],
  [
    'empty-rows',
    'XLSX of 5 M empty rows',
    () => upload(unnumberedEmptyRowsXlsx(5_000_000), 'empty.xlsx'),
  ],
  [
    'row-number',
    'XLSX row r="99999999999"',
    () => upload(rowNumberXlsx('99999999999', ['a', 'b']), 'r.xlsx'),
  ],
  [
    'nul-cell',
    'CSV: NUL in a cell',
    () => upload(Buffer.from(`${header}\n${row('ok')}\n${row('nul', 'a\u0000b')}`), 'a.csv'),
  ],
  [
    'nul-header',
    'CSV: NUL in a header',
    () => upload(Buffer.from(`${header},no\u0000tes\n${row('ok')},x`), 'a.csv'),
  ],
  [
    'nul-unmapped',
    'CSV: NUL in an unmapped column',
    () => upload(Buffer.from(`${header},notes\n${row('ok')},x\n${row('nul')},a\u0000b`), 'a.csv'),
  ],
  [
    'jsonl',
    'JSON lines: \\u0000 and a lone \\ud800',
    () => upload(Buffer.from(badLines), 'a.jsonl'),
  ],
  [
    'preview-jsonText',
    'feed/preview jsonText with \\u0000, \\ud800',
    () => json('/feed/preview', { contractId: 'static-avails-feed:v1', jsonText: badLines }),
  ],
  [
    'push-jsonText',
    'feed/push jsonText with \\u0000, \\ud800',
    () =>
      json('/feed/push', {
        contractId: 'static-avails-feed:v1',
        jsonText: badLines,
        deliverySemantics: 'PATCH_UPSERT',
      }),
  ],
  [
    'avails-jsonText',
    'modular/avails-feed jsonText with \\u0000, \\ud800',
    () => json('/modular/avails-feed', { jsonText: badLines }),
  ],
  [
    'deep',
    'jsonText nested 100,000 deep',
    () => json('/feed/preview', { contractId: 'static-avails-feed:v1', jsonText: deep }),
  ],
  [
    'utf16be',
    'CSV in UTF-16 BE with BOM',
    () => upload(utf16be(`${header}\n${row('be')}`), 'a.csv'),
  ],
  [
    'utf16-no-bom',
    'CSV in UTF-16 LE without BOM',
    () => upload(Buffer.from(`${header}\n${row('le')}`, 'utf16le'), 'a.csv'),
  ],
  [
    'cut-short',
    'multipart body cut short',
    () =>
      multipart(
        'multipart/form-data; boundary=zz',
        `--zz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${header}\n`,
      ),
  ],
  [
    'no-boundary',
    'multipart/form-data without a boundary',
    () => multipart('multipart/form-data', 'hello'),
  ],
  // Not attacks: what an honest feed costs per upload, by row count (docs/security.md's sweep).
  ...[10_000, 50_000, 100_000].flatMap((n): Array<[string, string, () => Promise<Outcome>]> => [
    [`csv-${n / 1000}k`, `honest CSV, ${n} rows`, () => upload(availsCsv(n), 'avails.csv')],
    [`xlsx-${n / 1000}k`, `honest XLSX, ${n} rows`, () => upload(availsXlsx(n), 'avails.xlsx')],
  ]),
  ['csv-250k', 'honest CSV, 250,000 rows', () => upload(availsCsv(250_000), 'avails.csv')],
];

async function main() {
  const sourceId = `upload-probe-${randomBytes(3).toString('hex')}`;
  const created = await fetch(`${base}/api/v2/storefront/inventory-sources/modular/feed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Upload probe', sourceId }),
  });
  if (created.status !== 201)
    throw new Error(`modular source: ${created.status} ${await created.text()}`);
  sourceUrl = `${base}/api/v2/storefront/inventory-sources/${sourceId}`;
  const only = flags.only?.split(',');
  const lines = [
    '| attack | answer | time | server RSS growth | note |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, what, run] of attacks) {
    if (only && !only.includes(name)) continue;
    log(`${name}: ${what}`);
    const { result, growth } = await measured(run);
    const time = result.ms >= 1000 ? `${(result.ms / 1000).toFixed(1)} s` : `${result.ms} ms`;
    lines.push(
      `| ${what} | ${result.got.replace(/\|/g, '\\|')} | ${time} | ${growth === undefined ? '-' : `+${mb(Math.max(0, growth))}`} | ${result.note ?? ''} |`,
    );
    log(lines.at(-1)!);
    // Let the server settle (a refused upload's connection lingers 2 s) before the next one.
    await sleep(2500);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
