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
  /** Queues a look for every (customer, agent) with followed buys: run once the queue started. */
  resume(): Promise<void>;
}

/**
 * Status sync as jobs: one job type, one singleton key per (customer, agent), so instances
 * share the work and never look at one customer's buys on one agent twice at once (which buys
 * a look takes is settled in the database besides). A look queues the next one for when the
 * earliest followed buy is due, but never later than `tickSeconds`, so a buy woken while a
 * later look is already queued waits at most that long. What is due lives on the buys, so a
 * restart loses nothing: `resume` queues the looks again.
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
    singleton: 'queued-and-running',
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
      for (const { customerId, agentId, due } of await campaigns.followedAgents()) {
        await send(customerId, agentId, secondsUntil(due));
      }
    },
  };
}
