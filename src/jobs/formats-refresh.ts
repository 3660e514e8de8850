import { z } from 'zod';
import type { FormatEntryRefresh, FormatRefreshScheduler } from '../modules/formats/index.js';
import type { CustomerPrincipal } from '../platform/principal.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

/**
 * Names the buyer, never its rights: each run asks the agent as the customer stands then
 * (identity's actingPrincipal, as delivery import does), so a customer deactivated, or whose
 * sponsorship was suspended or moved, gets nothing refreshed with the rights it once had.
 */
const payload = z.object({ customerId: z.number().int(), agentId: z.string().min(1) });

/**
 * The scheduled refresh of one buyer's cached formats of one agent: a job that refreshes the
 * entry and queues its own next run (pg-boss runs no cron here), as long as somebody still
 * reads the entry. One job waits per entry (singleton key customer:agent).
 */
export function createFormatRefresher(
  jobs: Pick<JobQueue, 'define' | 'send'>,
  formats: FormatEntryRefresh,
  actingPrincipal: (customerId: number) => Promise<CustomerPrincipal | undefined>,
  intervalSeconds: number,
  onError: (error: unknown, context: string) => void = () => undefined,
): FormatRefreshScheduler {
  const job = defineJob({
    name: 'buyer.formats-refresh',
    payload,
    singleton: 'queued',
    retry: { limit: 2, delaySeconds: 30, backoff: true },
    timeoutSeconds: 120,
    handler: async ({ customerId, agentId }) => {
      const principal = await actingPrincipal(customerId);
      if (!principal || (await formats.refreshEntry(principal, agentId)) === 'stop') return;
      await send(customerId, agentId, intervalSeconds);
    },
  });
  jobs.define(job);
  const send = async (customerId: number, agentId: string, delaySeconds: number) => {
    await jobs.send(
      job,
      { customerId, agentId },
      { singletonKey: `${customerId}:${agentId}`, delaySeconds },
    );
  };
  return {
    async schedule(principal, agentId, delaySeconds) {
      // A queue not running (a CLI command, a test without workers) leaves the entry to the
      // stale-on-read refresh instead of failing the buyer's request.
      await send(principal.customerId, agentId, delaySeconds).catch((error: unknown) =>
        onError(error, `scheduling the formats refresh of ${agentId}`),
      );
    },
  };
}
