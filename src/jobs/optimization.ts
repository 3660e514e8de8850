import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface OptimizationJobs {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
  /** Hands a suggestion to the apply job (no-op before the queue started; a sweep re-queues). */
  queueApply(suggestionId: string): Promise<void>;
}

const applyRetry = { limit: 8, delaySeconds: 30, backoff: true } as const;

/**
 * Optimisation on the job queue: a sweep (one waiting at a time across instances) weighs the
 * ACTIVE buys of campaigns with goals every `intervalSeconds` (0: never) and queues the next;
 * one apply job per suggestion sends an approved or AUTO suggestion's budgets through
 * update-media-buy. The suggestion's lease and the buy's recorded budgets make a retry, or two
 * runs at once, apply it once; a seller still unreachable on the last retry fails it.
 */
export function createOptimizationJobs(
  optimization: () => {
    sweep(): Promise<number>;
    apply(id: string, lastAttempt: boolean): Promise<unknown>;
  },
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>,
  options: { intervalSeconds: number },
): OptimizationJobs {
  const applyJob = defineJob({
    name: 'optimization.apply',
    payload: z.object({ suggestionId: z.string().min(1) }),
    singleton: 'queued',
    retry: applyRetry,
    timeoutSeconds: 5 * 60,
    handler: async ({ suggestionId }, context) => {
      await optimization().apply(suggestionId, context.retryCount >= applyRetry.limit);
    },
  });
  const sweepJob = defineJob({
    name: 'optimization.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      await optimization().sweep();
      await jobs.send(sweepJob, {}, { delaySeconds: options.intervalSeconds });
    },
  });
  jobs.define(applyJob);
  jobs.define(sweepJob);
  return {
    async startSweeps() {
      if (options.intervalSeconds > 0) await jobs.send(sweepJob, {});
    },
    async queueApply(suggestionId) {
      if (!jobs.isStarted()) return;
      await jobs.send(applyJob, { suggestionId }, { singletonKey: suggestionId });
    },
  };
}
