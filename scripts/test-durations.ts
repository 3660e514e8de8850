import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { testWorkers } from '../test/support/workers.js';

/**
 * Turns a vitest JSON report (`--reporter=json --outputFile.json=<file>`) into test/durations.json,
 * the list test/support/duration-sequencer.ts starts the slowest files first by:
 * `tsx scripts/test-durations.ts <report> [--write test/durations.json]` (without --write it
 * prints the list and the suite's wall time on its workers (test/support/workers.ts) in the report's order and slowest-first).
 *
 * A file's figure is the time it held its worker: from the end of the file that worker ran before
 * it to its own last test's end. The report's own start is its first test's, so that figure also
 * counts the file's import and its beforeAll (server and cluster starts), which is what a worker
 * spends on it; the worker a file ran on is not in the report and is rebuilt from the timeline
 * (a file starts on the worker that freed up last before its start).
 */
interface Report {
  testResults: { name: string; startTime: number; endTime: number }[];
}

export interface FileCost {
  file: string;
  seconds: number;
}

/** The report's path of a file, relative to this checkout (the report may come from a clone). */
function checkoutPath(name: string): string {
  const here = relative(process.cwd(), name);
  if (!here.startsWith('..')) return here;
  const parts = name.split('/');
  for (let i = 1; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (existsSync(tail)) return tail;
  }
  return here;
}

/** Each file's hold on its worker, in the order the files started. */
export function fileCosts(report: Report, workers = testWorkers): FileCost[] {
  const runs = [...report.testResults].sort((a, b) => a.startTime - b.startTime);
  const origin = Math.min(...runs.map((r) => r.startTime));
  const freeAt: number[] = Array.from({ length: workers }, () => origin);
  return runs.map((run) => {
    const free = freeAt.map((at, i) => ({ at, i })).filter((w) => w.at <= run.startTime + 10);
    const pick = free.length
      ? free.reduce((a, b) => (b.at > a.at ? b : a))
      : freeAt.map((at, i) => ({ at, i })).reduce((a, b) => (b.at < a.at ? b : a));
    const seconds = (run.endTime - freeAt[pick.i]!) / 1000;
    freeAt[pick.i] = run.endTime;
    return { file: checkoutPath(run.name), seconds };
  });
}

/** The wall time of files run in this order on `workers` workers, each taking the next free. */
export function wallSeconds(costs: FileCost[], workers = testWorkers): number {
  const busy: number[] = Array.from({ length: workers }, () => 0);
  for (const c of costs) {
    const next = busy.indexOf(Math.min(...busy));
    busy[next]! += c.seconds;
  }
  return Math.max(...busy);
}

function main(): void {
  const [file, flag, out] = process.argv.slice(2);
  if (!file || (flag !== undefined && (flag !== '--write' || !out))) {
    process.stderr.write(
      'usage: tsx scripts/test-durations.ts <vitest json report> [--write <file>]\n',
    );
    process.exit(2);
  }
  const costs = fileCosts(JSON.parse(readFileSync(file, 'utf8')) as Report);
  const slowestFirst = [...costs].sort(
    (a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file),
  );
  const total = costs.reduce((sum, c) => sum + c.seconds, 0);
  process.stdout.write(
    `${costs.length} files, ${total.toFixed(0)} s held in all; on ${testWorkers} workers: ` +
      `${wallSeconds(costs).toFixed(0)} s in the report's order, ` +
      `${wallSeconds(slowestFirst).toFixed(0)} s slowest first\n`,
  );
  if (flag !== '--write') return;
  const seconds = Object.fromEntries(
    slowestFirst.map((c) => [c.file, Math.max(1, Math.round(c.seconds))]),
  );
  const about =
    'Seconds each test file held its worker in a clean-clone CI run; test/support/duration-sequencer.ts starts the slowest first. Regenerate: npx tsx scripts/test-durations.ts test/artifacts/vitest-report.json --write test/durations.json';
  writeFileSync(out!, `${JSON.stringify({ about, seconds }, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

if (process.argv[1]?.endsWith('test-durations.ts')) main();
