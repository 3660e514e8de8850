import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface PerformanceFeedbackJobs {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

/**
 * Performance feedback on the job queue: a sweep (one waiting at a time across instances) sends
 * the previous UTC day's feedback for every placed buy with an event goal every
 * `intervalSeconds` (0: never) and queues the next. Each (buy, day) is claimed in the database
 * under a fixed idempotency key, so reruns and two instances send it once.
 */
export function createPerformanceFeedbackJobs(
  feedback: () => { sweep(): Promise<number> },
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: { intervalSeconds: number },
): PerformanceFeedbackJobs {
  const sweepJob = defineJob({
    name: 'performance-feedback.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      await feedback().sweep();
      await jobs.send(sweepJob, {}, { delaySeconds: options.intervalSeconds });
    },
  });
  jobs.define(sweepJob);
  return {
    async startSweeps() {
      if (options.intervalSeconds > 0) await jobs.send(sweepJob, {});
    },
  };
}
