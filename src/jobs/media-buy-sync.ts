import { z } from 'zod';
import type { CampaignsService } from '../modules/campaigns/index.js';
import type { CustomerPrincipal } from '../platform/principal.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

const payload = z.object({
  customerId: z.number().int().positive(),
  agentId: z.string().min(1),
});

/** The looks of status sync, run on the job queue (issue 14 item 4). */
export interface MediaBuySync {
  /** Makes sure the customer's buys on the agent are looked at within `delaySeconds`. */
  wake(customerId: number, agentId: string, delaySeconds: number): Promise<void>;
  /**
   * Queues a look for every (customer, agent) with followed buys, and the sweep that finds
   * looks lost with an instance that died: run once the queue started.
   */
  resume(): Promise<void>;
}

/**
 * Status sync as jobs: one job type, one singleton key per (customer, agent), at most one look
 * waiting per key, so instances share the work; which buys a look takes is settled in the
 * database (a claim with a lease), so two looks under one key never take one buy. A look
 * queues the next one for when the earliest followed buy is due, but never later than
 * `tickSeconds`, so a buy woken while a later look is already queued waits at most that long.
 *
 * What is due lives on the buys, so nothing is lost with an instance: `resume` queues the
 * looks again on every start, and a sweep (one for the fleet, every `tickSeconds`) queues a
 * look for any key whose buys are overdue, which is what a look killed mid-way (kill -9, a
 * lost machine) leaves behind once its lease runs out. A running look does not hold its key:
 * with pg-boss's one-running-per-key policy a killed look held it (and, pg-boss fetching in
 * order, every key queued after it) until its 5-minute timeout.
 */
export function createMediaBuySync(options: {
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  campaigns: Pick<CampaignsService, 'syncAgent' | 'followedAgents'>;
  actAs: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  tickSeconds: number;
}): MediaBuySync {
  const { jobs, campaigns } = options;
  const secondsUntil = (due: Date) =>
    Math.min(Math.max(0, Math.ceil((due.getTime() - Date.now()) / 1000)), options.tickSeconds);

  const job = defineJob({
    name: 'buyer.media-buy-sync',
    payload,
    singleton: 'queued',
    retry: { limit: 3, delaySeconds: 30, backoff: true },
    timeoutSeconds: 5 * 60,
    handler: async ({ customerId, agentId }) => {
      const principal = await options.actAs(customerId);
      // A customer gone or deactivated: its buys are left as they are (nobody can see them).
      if (!principal) return;
      const next = await campaigns.syncAgent(principal, agentId);
      if (next) await send(customerId, agentId, secondsUntil(next));
    },
  });
  jobs.define(job);

  // Overdue by this much, a key has no look coming: its look died (or never was queued).
  const overdueSeconds = 5;
  const sweep = defineJob({
    name: 'buyer.media-buy-sync.sweep',
    payload: z.object({}),
    singleton: 'queued',
    timeoutSeconds: 120,
    handler: async () => {
      try {
        const before = Date.now() - overdueSeconds * 1000;
        for (const { customerId, agentId, due } of await campaigns.followedAgents()) {
          if (due.getTime() <= before) await send(customerId, agentId, 0);
        }
      } finally {
        await jobs.send(sweep, {}, { delaySeconds: options.tickSeconds });
      }
    },
  });
  jobs.define(sweep);

  const send = async (customerId: number, agentId: string, delaySeconds: number) => {
    await jobs.send(
      job,
      { customerId, agentId },
      {
        singletonKey: `${customerId}:${agentId}`,
        ...(delaySeconds > 0 && { delaySeconds }),
      },
    );
  };

  return {
    async wake(customerId, agentId, delaySeconds) {
      // Before the queue starts (tests without workers, a CLI run) resume() finds the buy later.
      if (!jobs.isStarted()) return;
      await send(customerId, agentId, Math.ceil(Math.min(delaySeconds, options.tickSeconds)));
    },
    async resume() {
      await jobs.send(sweep, {}, { delaySeconds: options.tickSeconds });
      for (const { customerId, agentId, due } of await campaigns.followedAgents()) {
        await send(customerId, agentId, secondsUntil(due));
      }
    },
  };
}
