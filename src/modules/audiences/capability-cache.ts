import { createReadCache } from '../../platform/read-cache.js';
import type { BuyingAgents } from '../discovery/index.js';

/** How long an agent's capabilities are trusted when no registration changed meanwhile. */
export const capabilityTtlMs = 5 * 60_000;
/** Most (buyer, agent) answers held; past it the cache starts over. */
export const capabilityMaxEntries = 10_000;

type CallResult = Awaited<ReturnType<BuyingAgents['call']>>;

/** A failed answer, thrown out of the cache's load so it is not kept. */
class NotKept extends Error {
  constructor(readonly result: CallResult) {
    super('not kept');
  }
}

/**
 * The buyer's agents with their get_adcp_capabilities answers held per buyer and agent (the key
 * names both: a storefront may answer buyers differently), so audience syncs and conversion
 * forwarding ask each agent once per `ttlMs` instead of once per request. Only answers are held
 * (a failure or timeout is asked again next time). Any write that clears a cache (an agent
 * registered, changed or removed; a storefront's source added, probed or paused) clears it at
 * once on this instance and, by notification, on the others (platform/read-cache.ts).
 */
export function withCapabilityCache(
  agents: BuyingAgents,
  ttlMs = capabilityTtlMs,
  maxEntries = capabilityMaxEntries,
  now: () => number = Date.now,
): BuyingAgents {
  const cache = createReadCache(ttlMs, maxEntries, now, { clearedByEveryWrite: true });
  return {
    usableBy: (principal) => agents.usableBy(principal),
    accountFor: (customerId, agentId, brand) => agents.accountFor(customerId, agentId, brand),
    async call(principal, agentId, tool, args, options) {
      if (tool !== 'get_adcp_capabilities' || Object.keys(args).length > 0) {
        return agents.call(principal, agentId, tool, args, options);
      }
      try {
        return await cache.get(`${principal.customerId}\n${agentId}`, async () => {
          const result = await agents.call(principal, agentId, tool, args, options);
          if (!result.ok) throw new NotKept(result);
          return result;
        });
      } catch (error) {
        if (error instanceof NotKept) return error.result;
        throw error;
      }
    },
  };
}
