import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ToolCallResult } from '../../upstream/index.js';

/**
 * An AdCP sales agent as the buying flow names it: a storefront agent (salesAgentId
 * `storefront-{platformId}`) or a remote agent the buyer registered by URL (`remote-{id}`,
 * storefrontId null, storefrontName its name).
 */
export interface BuyingAgent {
  agentId: string;
  agentName: string;
  /** Null for a remote agent: it belongs to no storefront. */
  storefrontId: number | null;
  storefrontName: string;
  publisherDomain: string | null;
}

/** An AdCP account reference (`{account_id}` or `{brand, operator}`), as AdCP writes it. */
export type AccountReference = Record<string, unknown>;

/**
 * The port through which discovery and campaigns reach AdCP sales agents, as the buyer. Wired
 * in services.ts over the storefront agents (in process, through their MCP servers) and the
 * buyer's remote agents (over the network, through the upstream client); modules never import
 * the agents themselves.
 */
export interface BuyingAgents {
  /**
   * The agents the caller may use: storefront agents (identity's mayUseStorefrontAgent) in
   * storefront id order, then its ACTIVE remote agents (none for a sponsored buyer).
   */
  usableBy(principal: CustomerPrincipal): Promise<BuyingAgent[]>;
  /**
   * Calls one AdCP tool on an agent as the caller. Never throws; an agent the caller may not
   * use answers `unreachable`, one that runs past `timeoutMs` answers `timeout`.
   */
  call(
    principal: CustomerPrincipal,
    agentId: string,
    tool: string,
    args: Record<string, unknown>,
    options: { timeoutMs: number },
  ): Promise<ToolCallResult<Record<string, unknown>>>;
  /**
   * The account the customer uses at an agent for a brand when the agent decides it itself (a
   * remote agent: see registered-agents' sales service, accountFor). Undefined for a storefront
   * agent, where the advertiser's linked accounts apply.
   */
  accountFor(
    customerId: number,
    agentId: string,
    brandDomain: string,
  ): Promise<AccountReference | undefined>;
}
