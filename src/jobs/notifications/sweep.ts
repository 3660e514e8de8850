import { z } from 'zod';
import type { NotificationEvent, Notifier } from '../../modules/notifications/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';

/** Events found by looking (a hold near its expiry, a report due), not announced by a write. */
export type ScheduledEvents = (now: Date, since: Date) => Promise<NotificationEvent[]>;

export interface NotificationSweep {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
  /** One sweep now (tests, and the job's own run). */
  sweepOnce(now?: Date): Promise<number>;
}

/**
 * The notifications sweep (one at a time across instances): asks each source of scheduled
 * events what someone should hear about now, tells them (each event keyed, so a sweep that sees
 * the same hold again tells nobody twice), re-queues deliveries the queue never got, and queues
 * the next sweep. `lookbackSeconds` bounds how far back a sweep looks for events it may have
 * missed while no instance ran.
 */
export function createNotificationSweep(
  options: {
    notifier: Notifier;
    requeueStalled: (now: Date) => Promise<number>;
    sources: ScheduledEvents[];
    intervalSeconds: number;
    lookbackSeconds?: number;
  },
  jobs: Pick<JobQueue, 'define' | 'send'>,
): NotificationSweep {
  const lookback = (options.lookbackSeconds ?? 2 * 86_400) * 1000;
  async function sweepOnce(now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - lookback);
    let told = 0;
    for (const source of options.sources) {
      for (const event of await source(now, since)) {
        await options.notifier.notify(event);
        told += 1;
      }
    }
    await options.requeueStalled(now);
    return told;
  }
  const sweepJob = defineJob({
    name: 'notifications.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      await sweepOnce();
      await jobs.send(sweepJob, {}, { delaySeconds: options.intervalSeconds });
    },
  });
  jobs.define(sweepJob);
  return {
    sweepOnce,
    async startSweeps() {
      if (options.intervalSeconds > 0) await jobs.send(sweepJob, {});
    },
  };
}
