import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { uploadFeed } from '../src/cli/feed-upload.js';

/**
 * Modular sources: 100,000-row avails feeds as CSV and as XLSX, previewed (streamed through the
 * CLI's uploader) and committed, with Interchange in its own process
 * (bench/modular-feeds-serve.ts; PostgreSQL is a third) so the memory read is the server's
 * alone; against reading the same file with the parser alone, also in its own process
 * (bench/modular-feeds-parse.ts), in the same run. Each process's peak resident memory is its
 * VmHWM after a reset (/proc/<pid>/clear_refs) and RSS sampled every 10 ms. Every size in
 * `--sizes` gets a fresh server, so growth with the file shows as a larger peak over the start.
 * After each commit the server reports its heap in use after a full collection (what it still
 * holds); `--server-heap <MiB>` caps its V8 old space, to show the feed fits a fixed budget.
 * The server's CPU profile during the largest size's steps goes to bench/profiles/ (summary printed).
 *
 *   npx tsx bench/modular-feeds.ts [--sizes 20000,100000] [--server-heap 64]
 */
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '20000,100000' },
    // The server's V8 old-space cap (MiB); empty: Node's default.
    'server-heap': { type: 'string', default: '' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const profileDir = join(repoRoot, 'bench', 'profiles');

const kib = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) : NaN;
};
const mib = (k: number) => Math.round(k / 1024);

/** Runs `work` while watching process `pid`'s memory; answers seconds and MiB before → peak. */
async function measured(pid: number, rows: number, work: () => Promise<unknown>) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
  } catch {
    // not permitted here: the 10 ms sampling alone
  }
  const before = kib(pid, 'VmRSS');
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, kib(pid, 'VmRSS'))), 10);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, kib(pid, 'VmRSS'), kib(pid, 'VmHWM'));
  return {
    seconds: Number(seconds.toFixed(2)),
    rowsPerSec: Math.round(rows / seconds),
    rssBeforeMiB: mib(before),
    peakRssMiB: mib(peak),
    growthMiB: mib(peak - before),
  };
}

/** A child process that prints lines; `next()` answers its next line. */
function lineChild(script: string, argv: string[], flags: string[] = []) {
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...argv], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  }) as unknown as ChildProcessWithoutNullStreams;
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${script} exited`);
    return line.value;
  };
  const send = async (command: string) => {
    child.stdin.write(`${command}\n`);
    return next();
  };
  return { child, next, send };
}

/** The top self-time frames of a .cpuprofile (V8's format), as "ms  function  file:line". */
function topFrames(file: string, count = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!;
    const where = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
    const key = `${frame.functionName || '(anonymous)'}  ${where ? `${where}:${frame.lineNumber + 1}` : ''}`;
    const us = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const line = (i: number) =>
  `av-${i},Section ${i % 97} week ${i % 52},section-${i % 97},${i % 2 ? 'display' : 'olv'},${day(-1)},${day(30 + (i % 60))},${100_000 + i},${(5 + (i % 40)).toFixed(2)},USD,display_300x250,news.example`;

/** A sink for the uploader's progress bar (the figures are the output). */
const devNull = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;

async function writeFiles(dir: string, rows: number) {
  const csvFile = join(dir, `avails-${rows}.csv`);
  writeFileSync(csvFile, [header, ...Array.from({ length: rows }, (_, i) => line(i))].join('\n'));
  const xlsxFile = join(dir, `avails-${rows}.xlsx`);
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile });
  const sheet = writer.addWorksheet('Avails');
  sheet.addRow(header.split(',')).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(line(i).split(',')).commit();
  await sheet.commit();
  await writer.commit();
  return { csv: csvFile, xlsx: xlsxFile };
}

async function parserAlone(file: string, rows: number) {
  const parser = lineChild('bench/modular-feeds-parse.ts', [file]);
  try {
    await parser.next(); // ready
    let read = 0;
    const figures = await measured(parser.child.pid!, rows, async () => {
      read = Number(await parser.send('go'));
    });
    if (read !== rows && read !== rows + 1) throw new Error(`parser read ${read} rows of ${rows}`);
    return figures;
  } finally {
    parser.child.kill();
  }
}

mkdirSync(profileDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'ix-bench-modular-'));
const results: Array<Record<string, unknown>> = [];
try {
  for (const rows of sizes) {
    const files = await writeFiles(dir, rows);
    const profiled = rows === Math.max(...sizes);
    const server = lineChild(
      'bench/modular-feeds-serve.ts',
      [],
      [
        '--expose-gc',
        ...(args['server-heap'] ? [`--max-old-space-size=${args['server-heap']}`] : []),
      ],
    );
    try {
      const { base, key, pid } = JSON.parse(await server.next()) as {
        base: string;
        key: string;
        pid: number;
      };
      const heapMiB = async () =>
        Number((Number(await server.send('heap')) / 1_048_576).toFixed(1));
      const heapAtStart = await heapMiB();
      for (const format of ['csv', 'xlsx'] as const) {
        const file = files[format];
        const sourceId = `${format}-feed`;
        const alone = await parserAlone(file, rows);
        if (profiled) await server.send('profile-start');
        let preview: Record<string, unknown> = {};
        const previewed = await measured(pid, rows, async () => {
          const answer = await uploadFeed({ file, url: base, key, sourceId, progress: devNull });
          preview = answer['preview'] as Record<string, unknown>;
        });
        const committed = await measured(pid, rows, async () => {
          const res = await fetch(
            `${base}/api/v2/storefront/inventory-sources/${sourceId}/feed/commit`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                feedId: preview['feedId'],
                previewBaseline: preview['previewBaseline'],
              }),
            },
          );
          const text = await res.text();
          const active = (JSON.parse(text) as { data?: { activeAvailCount?: number } }).data
            ?.activeAvailCount;
          if (res.status !== 200 || active !== rows)
            throw new Error(`commit: ${res.status} ${text}`);
        });
        let profile: string[] = [];
        if (profiled) {
          const out = join(profileDir, `modular-feeds-${format}-${rows}.cpuprofile`);
          await server.send(`profile-stop ${out}`);
          profile = topFrames(out);
        }
        results.push({
          rows,
          format,
          bytesMiB: Number((statSync(file).size / 1_048_576).toFixed(1)),
          parserAlone: alone,
          preview: previewed,
          commit: committed,
          previewVsParser: Number((previewed.seconds / alone.seconds).toFixed(1)),
          serverHeapAfterGcMiB: { atStart: heapAtStart, afterCommit: await heapMiB() },
          ...(profiled && { serverProfileTopSelf: profile }),
        });
      }
      await server.send('exit');
    } finally {
      server.child.kill();
    }
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
