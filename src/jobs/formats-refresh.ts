import { z } from 'zod';
import type { FormatRefreshScheduler, FormatsService } from '../modules/formats/index.js';
import { defineJob } from './job-type.js';
import type { JobQueue } from './queue.js';

/**
 * The caller a refresh asks the agent as: the principal of the request that last listed the
 * formats (ids and roles, no secret). The agent applies its own access rule at every call, so a
 * buyer who lost access to a storefront gets nothing refreshed from it.
 */
const principalSchema = z.object({
  kind: z.literal('customer'),
  keyId: z.string(),
  userId: z.number().int(),
  customerId: z.number().int(),
  customerRole: z.enum(['BUYER', 'SELLER']),
  customerType: z.enum(['STANDALONE', 'PARENT', 'CHILD']),
  organizationId: z.number().int(),
  membershipRole: z.enum(['MEMBER', 'ADMIN', 'SUPER_ADMIN']),
  tosAccepted: z.boolean(),
  sponsorship: z
    .object({
      storefrontId: z.number().int(),
      sellerOrganizationId: z.number().int(),
      status: z.enum(['pending', 'active', 'suspended']),
    })
    .nullable(),
});

const payload = z.object({ principal: principalSchema, agentId: z.string().min(1) });

/**
 * The scheduled refresh of one buyer's cached formats of one agent: a job that refreshes the
 * entry and queues its own next run (pg-boss runs no cron here), as long as somebody still
 * reads the entry. One job waits per entry (singleton key customer:agent).
 */
export function createFormatRefresher(
  jobs: Pick<JobQueue, 'define' | 'send'>,
  formats: Pick<FormatsService, 'refreshEntry'>,
  intervalSeconds: number,
  onError: (error: unknown, context: string) => void = () => undefined,
): FormatRefreshScheduler {
  const job = defineJob({
    name: 'buyer.formats-refresh',
    payload,
    singleton: 'queued',
    retry: { limit: 2, delaySeconds: 30, backoff: true },
    timeoutSeconds: 120,
    handler: async ({ principal, agentId }) => {
      if ((await formats.refreshEntry(principal, agentId)) === 'stop') return;
      await send(principal, agentId, intervalSeconds);
    },
  });
  jobs.define(job);
  const send = async (
    principal: z.output<typeof principalSchema>,
    agentId: string,
    delaySeconds: number,
  ) => {
    await jobs.send(
      job,
      { principal, agentId },
      { singletonKey: `${principal.customerId}:${agentId}`, delaySeconds },
    );
  };
  return {
    async schedule(principal, agentId, delaySeconds) {
      // A queue not running (a CLI command, a test without workers) leaves the entry to the
      // stale-on-read refresh instead of failing the buyer's request.
      await send(principal, agentId, delaySeconds).catch((error: unknown) =>
        onError(error, `scheduling the formats refresh of ${agentId}`),
      );
    },
  };
}
