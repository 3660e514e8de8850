import { z } from 'zod';
import type { ComplianceScheduler, ComplianceService } from '../modules/compliance/index.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface ComplianceSchedule extends ComplianceScheduler {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

/** Runs queued longer than this without being picked up are handed to the queue again. */
const staleAfterMs = 2 * 60_000;

/**
 * Compliance runs on the job queue. One job per run (singleton per run: one waiting, one
 * running), one at a time per instance (a run is a storyboard runner in a worker thread); a run
 * left running by an instance that died is failed by pg-boss after its timeout and retried,
 * which runs it again. The sweep (one at a time across instances) queues the sources due on the
 * schedule and hands over runs left waiting without a job, then queues itself again.
 */
export function createComplianceJobs(
  compliance: Pick<ComplianceService, 'execute' | 'sweep' | 'requeueStale'>,
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: { intervalSeconds: number; runTimeoutMs: number },
): ComplianceSchedule {
  const runJob = defineJob({
    name: 'compliance.run',
    payload: z.object({ runId: z.number().int().positive() }),
    singleton: 'queued-and-running',
    concurrency: 1,
    retry: { limit: 2, delaySeconds: 30, backoff: true },
    timeoutSeconds: Math.ceil(options.runTimeoutMs / 1000) + 120,
    handler: ({ runId }) => compliance.execute(runId),
  });
  // Sweeps often enough to notice a source due, never more than hourly.
  const sweepSeconds = Math.min(Math.max(options.intervalSeconds / 24, 60), 3600);
  const sweepJob = defineJob({
    name: 'compliance.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      await compliance.requeueStale(staleAfterMs);
      await compliance.sweep();
      await jobs.send(sweepJob, {}, { delaySeconds: sweepSeconds });
    },
  });
  jobs.define(runJob);
  jobs.define(sweepJob);
  return {
    async enqueue(runId) {
      await jobs.send(runJob, { runId }, { singletonKey: String(runId) });
    },
    async startSweeps() {
      // Runs queued while no queue ran (the demo seed, a CLI command) are handed over now.
      await compliance.requeueStale(0);
      await jobs.send(sweepJob, {}, { delaySeconds: 5 });
    },
  };
}
