import { z } from 'zod';
import type { SellerWrites } from '../modules/seller-writes/index.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

/** Recovery of seller writes whose outcome is unknown (modules/seller-writes), as a job. */
export interface SellerWriteRecovery {
  /** Queues a run for the intents left open while no instance ran (after a restart). */
  resume(): Promise<void>;
}

/**
 * One job type, one waiting job at a time across instances: a run establishes the intents due
 * (skip-locked, so instances share them), then queues the next run for when the earliest open
 * intent is due, never later than `tickSeconds` (an intent begun meanwhile by an instance that
 * died is due when its lease runs out). A write that leaves an intent to recovery wakes it.
 */
export function createSellerWriteRecovery(options: {
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  writes: SellerWrites;
  tickSeconds: number;
}): SellerWriteRecovery {
  const { jobs, writes, tickSeconds } = options;
  const secondsUntil = (due: Date) =>
    Math.min(Math.max(0, Math.ceil((due.getTime() - Date.now()) / 1000)), tickSeconds);

  const job = defineJob({
    name: 'seller-writes.recover',
    payload: z.object({}),
    singleton: 'queued',
    retry: { limit: 3, delaySeconds: 15, backoff: true },
    timeoutSeconds: 10 * 60,
    handler: async () => {
      // Every held write wakes the job and most settle before it runs: then one look, no take.
      let next = await writes.nextDueAt();
      if (next && next.getTime() <= Date.now()) {
        await writes.recoverDue();
        next = await writes.nextDueAt();
      }
      // A run picked up while the queue still starts leaves the next one to resume().
      if (next && jobs.isStarted()) await send(secondsUntil(next));
    },
  });
  jobs.define(job);

  const send = async (delaySeconds: number) => {
    await jobs.send(job, {}, { ...(delaySeconds > 0 && { delaySeconds }) });
  };
  writes.onWake(async (delaySeconds) => {
    // Before the queue starts (tests without workers, a CLI run) resume() finds the intent later.
    if (!jobs.isStarted()) return;
    await send(Math.ceil(Math.min(delaySeconds, tickSeconds)));
  });

  return {
    async resume() {
      const next = await writes.nextDueAt();
      if (next) await send(secondsUntil(next));
    },
  };
}
