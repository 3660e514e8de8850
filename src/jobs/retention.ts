import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface RetentionSchedule {
  /** Queues the recurring prune unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

/** What the prune deletes from, each a bounded batch of rows older than a cut-off at a time. */
export interface Prunable {
  /** How long its rows are kept. */
  retentionDays: number;
  /** Deletes up to `limit` rows from before `before`; answers how many went. */
  prune(before: Date, limit: number): Promise<number>;
}

/** Rows one statement deletes: short statements, well inside the statement timeout. */
const batch = 1_000;
/** Batches one run deletes of each kind at most; the rest waits for the next run. */
const maxBatches = 50;

/**
 * Retention (docs/operations.md): a recurring job, one waiting at a time across instances, that
 * deletes what only looks back once it is past its kind's retention, a batch at a time, then
 * queues the next run `intervalSeconds` later. 0 turns the schedule off.
 */
export function createRetentionJobs(
  prunables: Prunable[],
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: { intervalSeconds: number; now?: () => Date },
): RetentionSchedule {
  const now = options.now ?? (() => new Date());
  const pruneJob = defineJob({
    name: 'retention.prune',
    payload: z.object({}),
    singleton: 'queued',
    timeoutSeconds: 15 * 60,
    handler: async () => {
      for (const prunable of prunables) {
        const before = new Date(now().getTime() - prunable.retentionDays * 86_400_000);
        for (let i = 0; i < maxBatches; i++) {
          if ((await prunable.prune(before, batch)) < batch) break;
        }
      }
      await jobs.send(pruneJob, {}, { delaySeconds: options.intervalSeconds });
    },
  });
  jobs.define(pruneJob);
  return {
    async startSweeps() {
      if (options.intervalSeconds > 0) await jobs.send(pruneJob, {});
    },
  };
}
