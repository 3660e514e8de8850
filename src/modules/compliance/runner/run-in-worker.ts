import { Worker } from 'node:worker_threads';
import type { RunnerOutcome, RunnerRequest } from './types.js';

/** Time the worker gets past the runner's own deadline before it is ended. */
const graceMs = 10_000;

/**
 * Runs @adcp/sdk's storyboard runner for one agent in a worker thread (worker-entry.ts) and
 * answers its outcome. Never throws and never outlives `request.timeoutMs` by more than a few
 * seconds: a runner stuck past its deadline is terminated and the run answers `timeout`.
 */
export function runInWorker(request: RunnerRequest): Promise<RunnerOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = startWorker(request);
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
    worker.once('error', (error) => finish({ ok: false, kind: 'error', message: error.message }));
    worker.once('exit', (code) =>
      finish({ ok: false, kind: 'error', message: `the runner stopped (exit ${code})` }),
    );
  });
}

/**
 * The entry is this folder's worker-entry: compiled JavaScript in a build, TypeScript when the
 * source runs under tsx or vitest, where the worker registers tsx itself before loading it.
 */
function startWorker(request: RunnerRequest): Worker {
  const entry = new URL(
    import.meta.url.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js',
    import.meta.url,
  );
  if (entry.pathname.endsWith('.js')) return new Worker(entry, { workerData: request });
  const bootstrap =
    `import('tsx/esm/api').then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: request });
}
