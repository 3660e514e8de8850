import type { CustomerPrincipal } from '../../../platform/principal.js';
import { conflict } from '../../../platform/errors.js';
import { credentialOwner } from '../../../upstream/index.js';
import { createAgentRegistry, type RegistryDeps } from '../registry/agent-registry.js';
import type { AgentRow } from '../registry/agent-store.js';
import { agentView } from '../registry/agent-view.js';
import { buyerSignalAgents } from '../tables.js';
import { buyerSignalAgentIdOf, buyerSignalRowIdOf } from './agent-id.js';
import type { SignalAgentHandle } from './directory.js';
import type { SignalAgentView } from './schemas.js';

export type SignalAgentsDeps = RegistryDeps;

export const signalAgentView = (row: AgentRow): SignalAgentView =>
  agentView(row, { agentId: buyerSignalAgentIdOf(row.id), type: 'SIGNAL' });

/**
 * The signals agents a buyer registers by URL (the shared registry: a bearer token sealed at
 * rest, probed with get_adcp_capabilities), offered to discovery and activation as handles. A
 * sponsored buyer uses its storefront's signals agents and registers none.
 */
export function createSignalAgents(deps: SignalAgentsDeps) {
  const registry = createAgentRegistry(deps, {
    table: buyerSignalAgents,
    endpointKey: 'buyer_signal_agents_endpoint_key',
    endpointTaken: () =>
      conflict('You already registered a signals agent at this endpointUrl', 'endpointUrl'),
    rowIdOf: buyerSignalRowIdOf,
    sealContext: 'buyer_signal_agent_auth',
    owner: credentialOwner.buyerSignalAgent,
    noun: 'Signals agent',
    sponsoredRefusal: 'A sponsored buyer uses its storefront’s signals agents: it cannot add one',
    view: signalAgentView,
  });

  const handleOf = (row: AgentRow): SignalAgentHandle => ({
    agentId: buyerSignalAgentIdOf(row.id),
    agentName: row.name,
    registeredBy: { kind: 'BUYER', storefrontId: null },
    accountIdentifier: row.accountIdentifier,
    target: async () => registry.targetOf(row),
  });

  return {
    list: registry.list,
    get: registry.get,
    create: registry.create,
    remove: registry.remove,

    /** The caller's ACTIVE agents, as the directory offers them; none for a sponsored buyer. */
    async usableBy(principal: CustomerPrincipal): Promise<SignalAgentHandle[]> {
      return (await registry.usableBy(principal)).map(handleOf);
    },
  };
}

export type SignalAgents = ReturnType<typeof createSignalAgents>;
