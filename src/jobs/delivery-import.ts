import { z } from 'zod';
import { type DeliveryService, isRetryableImportFailure } from '../modules/delivery/index.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface DeliveryImportSchedule {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

export interface DeliveryImportOptions {
  /** Seconds between sweeps; 0 leaves delivery to on-demand imports. */
  intervalSeconds: number;
  /** How long after its flight ends a buy is still imported (sellers' final figures). */
  graceMs: number;
}

/**
 * Delivery import on the job queue: a sweep (one at a time across instances, singleton) queues
 * one import job per booked buy under way and queues the next sweep; an import job asks the
 * buy's seller (get_media_buy_delivery) and records the answer. Import jobs are singletons per
 * buy (one waiting, one running), so instances share the work and never import one buy twice
 * at once; a failed import is retried with backoff.
 */
export function createDeliveryImportJobs(
  delivery: Pick<DeliveryService, 'importDeliveryFor' | 'buysToSweep'>,
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: DeliveryImportOptions,
): DeliveryImportSchedule {
  const importJob = defineJob({
    name: 'delivery.import-buy',
    payload: z.object({ mediaBuyId: z.string().min(1) }),
    singleton: 'queued-and-running',
    retry: { limit: 4, delaySeconds: 60, backoff: true },
    timeoutSeconds: 5 * 60,
    handler: async ({ mediaBuyId }) => {
      const outcome = await delivery.importDeliveryFor(mediaBuyId);
      // A seller that cannot answer now is asked again (retry); a buy gone, or a customer no
      // longer active, is not (the next sweep queues the buy again if it is back).
      if (!outcome.ok && isRetryableImportFailure(outcome.reason)) {
        throw new Error(`delivery import of ${mediaBuyId}: ${outcome.error}`);
      }
    },
  });
  const enqueue = async (mediaBuyId: string) => {
    await jobs.send(importJob, { mediaBuyId }, { singletonKey: mediaBuyId });
  };
  const sweepJob = defineJob({
    name: 'delivery.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      for (const id of await delivery.buysToSweep(options.graceMs)) await enqueue(id);
      await jobs.send(sweepJob, {}, { delaySeconds: options.intervalSeconds });
    },
  });
  jobs.define(importJob);
  jobs.define(sweepJob);
  return {
    async startSweeps() {
      if (options.intervalSeconds > 0) await jobs.send(sweepJob, {});
    },
  };
}
