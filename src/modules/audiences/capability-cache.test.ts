import { describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyingAgents } from '../discovery/index.js';
import { withCapabilityCache } from './capability-cache.js';

const principal = (customerId: number) => ({ customerId }) as CustomerPrincipal;
const options = { timeoutMs: 1000 };

/** Agents that count their calls and answer `ok` while `healthy` says so. */
function countingAgents(state: { healthy: boolean }) {
  const calls: string[] = [];
  const agents: BuyingAgents = {
    usableBy: async () => [],
    accountFor: async () => undefined,
    call: async (p, agentId, tool) => {
      calls.push(`${p.customerId}:${agentId}:${tool}`);
      return state.healthy
        ? {
            ok: true,
            status: 'completed',
            latencyMs: 1,
            data: { media_buy: { caller: p.customerId } },
          }
        : { ok: false, latencyMs: 1, error: { code: 'timeout', message: 'late' } };
    },
  };
  return { agents, calls };
}

describe('the capability cache', () => {
  it('holds answers per buyer and agent: another buyer of the same agent is asked for itself', async () => {
    const { agents, calls } = countingAgents({ healthy: true });
    const cached = withCapabilityCache(agents);
    const first = await cached.call(
      principal(1),
      'storefront-a',
      'get_adcp_capabilities',
      {},
      options,
    );
    await cached.call(principal(1), 'storefront-a', 'get_adcp_capabilities', {}, options);
    const other = await cached.call(
      principal(2),
      'storefront-a',
      'get_adcp_capabilities',
      {},
      options,
    );
    expect(calls).toEqual([
      '1:storefront-a:get_adcp_capabilities',
      '2:storefront-a:get_adcp_capabilities',
    ]);
    expect(first.ok && first.data).toEqual({ media_buy: { caller: 1 } });
    expect(other.ok && other.data).toEqual({ media_buy: { caller: 2 } });
  });

  it('keeps no failure, passes other tools through, and expires', async () => {
    const state = { healthy: false };
    const { agents, calls } = countingAgents(state);
    let clock = 0;
    const cached = withCapabilityCache(agents, 1000, 100, () => clock);
    expect((await cached.call(principal(1), 'a', 'get_adcp_capabilities', {}, options)).ok).toBe(
      false,
    );
    state.healthy = true;
    expect((await cached.call(principal(1), 'a', 'get_adcp_capabilities', {}, options)).ok).toBe(
      true,
    );
    await cached.call(principal(1), 'a', 'get_adcp_capabilities', {}, options);
    await cached.call(principal(1), 'a', 'log_event', {}, options);
    await cached.call(principal(1), 'a', 'log_event', {}, options);
    expect(calls).toHaveLength(4);
    clock = 1001;
    await cached.call(principal(1), 'a', 'get_adcp_capabilities', {}, options);
    expect(calls).toHaveLength(5);
  });
});
