import type { CustomerPrincipal } from '../../../platform/principal.js';
import { createSignalActivations, type CampaignSellers } from './activations.js';
import { createSignalAgents, type SignalAgentsDeps } from './agents.js';
import { storefrontSignalAgents, type StorefrontSignalSources } from './directory.js';
import { createSignalDiscovery } from './discover.js';

export interface SignalsDeps extends SignalAgentsDeps {
  /** How long one agent may take to answer get_signals (discovery's per-agent budget). */
  agentBudgetMs: number;
  /** How long one activate_signal may take. */
  callBudgetMs: number;
  storefronts: StorefrontSignalSources;
  /** The brand (an advertiser's, when named) and the buyer's domain as operator. */
  whoOf(
    principal: CustomerPrincipal,
    advertiserId: string | undefined,
  ): Promise<{ brand: string | null; operator: string | null }>;
  campaignSellers(principal: CustomerPrincipal, campaignId: string): Promise<CampaignSellers>;
  followLater(activationId: string, attempt: number): Promise<void>;
}

export type SignalsService = ReturnType<typeof createSignalsService>;

/**
 * Signals (issue 32 item 3): the signals agents a buyer registers and those of the storefronts it
 * may buy from, get_signals across them all, and activate_signal for a campaign's sellers.
 */
export function createSignalsService(deps: SignalsDeps) {
  const agents = createSignalAgents(deps);
  /** Every signals agent the caller may ask: its own first, then its storefronts'. */
  const agentsOf = async (principal: CustomerPrincipal) => {
    const [own, storefronts] = await Promise.all([
      agents.usableBy(principal),
      storefrontSignalAgents(deps.storefronts, principal),
    ]);
    return [...own, ...storefronts];
  };
  const discovery = createSignalDiscovery({
    upstream: deps.upstream,
    agentBudgetMs: deps.agentBudgetMs,
    agentsOf,
    whoOf: deps.whoOf,
  });
  const activations = createSignalActivations({
    db: deps.db,
    upstream: deps.upstream,
    callBudgetMs: deps.callBudgetMs,
    agentsOf,
    campaignSellers: deps.campaignSellers,
    followLater: deps.followLater,
  });
  return {
    agents: {
      list: agents.list,
      get: agents.get,
      create: agents.create,
      remove: agents.remove,
    },
    discover: discovery.discover,
    activate: activations.activate,
    activations: { list: activations.list, get: activations.get },
    followActivation: activations.follow,
  };
}
