import type { RunResult } from '../baseline.js';
import type { Result } from '../runs.js';

/**
 * Where a compliance run's time goes, printed with its report: the setup every job shares, then
 * per job its server's start, its example seller's start (beside the server's, so not added)
 * and the storyboard or fuzz runs, so a slow run can be told from a slow start.
 */
export interface JobTime {
  label: string;
  /** From the job's start to its last process stopped. */
  ms: number;
  results: RunResult[];
}

export interface SetupTime {
  buildMs: number;
  templateMs: number;
  runnerMs: number;
  /** From the start of the setup to its end (the runner's copy runs beside the build). */
  ms: number;
}

/** Runs `work` and reports how long it took. */
export async function timed<T>(work: () => Promise<T>, report: (ms: number) => void): Promise<T> {
  const started = Date.now();
  const value = await work();
  report(Date.now() - started);
  return value;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One result's times, for its progress line. */
export function timesOf(result: Result): string {
  const parts = [];
  if (result.serverStartMs) parts.push(`server start ${seconds(result.serverStartMs)}`);
  if (result.sellerStartMs) parts.push(`seller start ${seconds(result.sellerStartMs)}`);
  parts.push(`${result.kind === 'fuzz' ? 'fuzz' : 'storyboard'} ${seconds(result.durationMs)}`);
  return parts.join(', ');
}

export function printTimes(setup: SetupTime, jobs: JobTime[], concurrency: number): void {
  const first = (job: JobTime) => job.results[0];
  const serverMs = jobs.map((job) => first(job)?.serverStartMs ?? 0).filter((ms) => ms > 0);
  const sellerMs = jobs.map((job) => first(job)?.sellerStartMs ?? 0).filter((ms) => ms > 0);
  const runMs = jobs.flatMap((job) => job.results.map((r) => r.durationMs));
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const stats = (list: number[]) =>
    list.length
      ? `${seconds(sum(list))} in all, ${list.length}, mean ${seconds(sum(list) / list.length)}, ` +
        `max ${seconds(Math.max(...list))}`
      : 'none';
  console.log(`\nWhere the time went (${jobs.length} jobs, ${concurrency} at a time):`);
  console.log(
    `  setup ${seconds(setup.ms)}: build ${seconds(setup.buildMs)}, data template ` +
      `${seconds(setup.templateMs)}, runner copy ${seconds(setup.runnerMs)} (beside the build)`,
  );
  console.log(`  job time      ${stats(jobs.map((job) => job.ms))}`);
  console.log(`  server starts ${stats(serverMs)}`);
  console.log(`  seller starts ${stats(sellerMs)} (beside the server's)`);
  console.log(`  runs          ${stats(runMs)}`);
  console.log('  slowest jobs:');
  for (const job of [...jobs].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
    const result = first(job);
    const start = result?.serverStartMs || result?.sellerStartMs || 0;
    const runs = job.results.map((r) => seconds(r.durationMs)).join(' + ');
    console.log(
      `    ${seconds(job.ms).padStart(8)}  ${job.label} (start ${seconds(start)}, ${runs})`,
    );
  }
}
