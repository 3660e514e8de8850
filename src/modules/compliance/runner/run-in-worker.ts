import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { RunnerOutcome, RunnerRequest } from './types.js';

/** Time the worker gets past the runner's own deadline before it is ended. */
const graceMs = 10_000;

/**
 * The runner thread's heap. Uncapped, V8 sizes a worker's heap as it sizes the process's (a
 * quarter of the machine's memory) and lets a run's garbage reach 220 MB before collecting it,
 * on top of the server's own heap. What a run keeps alive (a collection forced every 2 s,
 * bench/history first start) starts at 60-70 MB (the SDK's testing module, its schemas, the
 * storyboards) and grows with the steps it has graded: 75 MB at the end of the demo's run
 * built, 95-100 MB late in a longer A2A run under tsx. 160 MB of old generation leaves that
 * room: V8 collects sooner, a run grades the same, and one that outgrows it ends as a failed
 * run that says so. (96 MB was too little under tsx: runs ended out of memory.)
 */
export const runnerHeapLimits = {
  maxOldGenerationSizeMb: 160,
  maxYoungGenerationSizeMb: 8,
} as const satisfies ResourceLimits;

/**
 * Runs @adcp/sdk's storyboard runner for one agent in a worker thread (worker-entry.ts) and
 * answers its outcome. Never throws and never outlives `request.timeoutMs` by more than a few
 * seconds: a runner stuck past its deadline is terminated and the run answers `timeout`.
 */
export function runInWorker(
  request: RunnerRequest,
  limits: ResourceLimits = runnerHeapLimits,
): Promise<RunnerOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = startWorker(request, limits);
    } catch (error) {
      resolve({ ok: false, kind: 'error', message: (error as Error).message });
      return;
    }
    const finish = (outcome: RunnerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      void worker.terminate().catch(() => undefined);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          kind: 'timeout',
          message: `The compliance run did not finish within ${Math.round(request.timeoutMs / 1000)} s`,
        }),
      request.timeoutMs + graceMs,
    );
    timer.unref();
    worker.once('message', (outcome: RunnerOutcome) => finish(outcome));
    worker.once('error', (error) =>
      finish({ ok: false, kind: 'error', message: messageOf(error, limits) }),
    );
    worker.once('exit', (code) =>
      finish({ ok: false, kind: 'error', message: `the runner stopped (exit ${code})` }),
    );
  });
}

/**
 * The entry is this folder's worker-entry: compiled JavaScript in a build, TypeScript when the
 * source runs under tsx or vitest, where the worker registers tsx itself before loading it.
 * tsx's register turns on Node's source maps, and with them Node reads and keeps the map of
 * every module that names one: @adcp/sdk ships a map beside each of its files, 7-8 MB more kept
 * alive through a run. The thread turns them off again (its errors reach the seller as
 * messages, not stack traces), closer to what it holds built.
 */
function startWorker(request: RunnerRequest, resourceLimits: ResourceLimits): Worker {
  const entry = new URL(
    import.meta.url.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js',
    import.meta.url,
  );
  if (entry.pathname.endsWith('.js')) {
    return new Worker(entry, { workerData: request, resourceLimits });
  }
  const bootstrap =
    `import('tsx/esm/api').then(({ register }) => { register(); ` +
    `process.setSourceMapsEnabled(false); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: request, resourceLimits });
}

/** What a run that ended with its thread says; running out of its heap, in words a seller reads. */
function messageOf(error: Error, limits: ResourceLimits): string {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return error.message;
  const heapMb = (limits.maxOldGenerationSizeMb ?? 0) + (limits.maxYoungGenerationSizeMb ?? 0);
  return (
    `The compliance runner ran out of memory (its heap is capped at ${heapMb} MB) before the ` +
    'run finished, so nothing was graded. Run it again; if it recurs, the agent answers more ' +
    'than the runner holds: report it with the agent.'
  );
}
