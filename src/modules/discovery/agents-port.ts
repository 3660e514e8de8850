import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ToolCallResult } from '../../upstream/index.js';

/** A storefront agent as the buying flow names it (salesAgentId `storefront-{platformId}`). */
export interface BuyingAgent {
  agentId: string;
  agentName: string;
  storefrontId: number;
  storefrontName: string;
  publisherDomain: string | null;
}

/**
 * The port through which discovery and campaigns reach AdCP sales agents, as the buyer. Wired
 * in services.ts over the storefront agents (in process, through their MCP servers); modules
 * never import the agents themselves.
 */
export interface BuyingAgents {
  /** The agents the caller may use (identity's mayUseStorefrontAgent), storefront id order. */
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
}
