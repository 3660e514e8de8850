import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface HoldExpirySchedule {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

/**
 * Modular sources' holds expire: a sweep (one at a time across instances) gives back every
 * hold past its expiry in one statement, rejects the storefront buys still waiting on them, and
 * queues the next sweep.
 */
export function createHoldExpiryJobs(
  modular: { expireHolds(): Promise<number> },
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: { intervalSeconds: number },
): HoldExpirySchedule {
  const sweepJob = defineJob({
    name: 'modular.expire-holds',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      await modular.expireHolds();
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
