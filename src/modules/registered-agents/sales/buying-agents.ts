import type { UpstreamClient } from '../../../upstream/index.js';
import type { BuyingAgent, BuyingAgents } from '../../discovery/index.js';
import { isRemoteAgentId, remoteAgentIdOf } from './agent-id.js';
import type { SalesAgentsService } from './service.js';
import type { AgentRow } from '../registry/agent-store.js';

const describe = (row: AgentRow): BuyingAgent => ({
  agentId: remoteAgentIdOf(row.id),
  agentName: row.name,
  storefrontId: null,
  storefrontName: row.name,
  publisherDomain: row.capabilities?.publisherDomains[0] ?? null,
});

/**
 * The buying flow's agents: the storefront agents (`local`, in process) and the caller's remote
 * agents, reached over the network through the upstream client (guarded outbound, the same
 * per-call deadline), so discovery, execution and status go to either through one port.
 */
export function withRemoteAgents(
  local: BuyingAgents,
  remote: Pick<SalesAgentsService, 'usableBy' | 'findUsable' | 'targetOf' | 'accountFor'>,
  upstream: UpstreamClient,
): BuyingAgents {
  return {
    async usableBy(principal) {
      const [storefronts, own] = await Promise.all([
        local.usableBy(principal),
        remote.usableBy(principal),
      ]);
      return [...storefronts, ...own.map(describe)];
    },
    async call(principal, agentId, tool, args, options) {
      if (!isRemoteAgentId(agentId)) return local.call(principal, agentId, tool, args, options);
      const started = performance.now();
      const row = await remote.findUsable(principal, agentId);
      if (!row) {
        return {
          ok: false,
          latencyMs: 0,
          error: { code: 'unreachable', message: `No AdCP agent "${agentId}" here` },
        };
      }
      // The lookup counts against the caller's deadline, as the in-process agents' does.
      const timeoutMs = Math.max(1, options.timeoutMs - (performance.now() - started));
      return upstream.callTool<Record<string, unknown>>(remote.targetOf(row), tool, args, {
        timeoutMs,
      });
    },
    accountFor: (customerId, agentId, brandDomain) =>
      isRemoteAgentId(agentId)
        ? remote.accountFor(customerId, agentId, brandDomain)
        : local.accountFor(customerId, agentId, brandDomain),
  };
}
