import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { createReadCache } from '../../../platform/read-cache.js';
import { conflict } from '../../../platform/errors.js';
import { agentJwksUrl, credentialOwner } from '../../../upstream/index.js';
import { createAgentRegistry, type RegistryDeps } from '../registry/agent-registry.js';
import { agentView } from '../registry/agent-view.js';
import type { AgentRow } from '../registry/agent-store.js';
import { buyerSalesAgents } from '../tables.js';
import { remoteAgentIdOf, remoteRowIdOf } from './agent-id.js';
import type { SalesAgentView } from './schemas.js';

export interface SalesAgentsDeps extends RegistryDeps {
  /** The buyer customer's domain: the operator of a brand's account at a remote agent. */
  customerDomainOf: (customerId: number) => Promise<string | null>;
  /** The guarded outbound client: agents' brand.json for their signing keys. */
  fetch: OutboundFetch;
}

export type SalesAgentsService = ReturnType<typeof createSalesAgentsService>;

export const salesAgentView = (row: AgentRow): SalesAgentView =>
  agentView(row, { agentId: remoteAgentIdOf(row.id), type: 'SALES' });

/**
 * A buyer's remote AdCP sales agents (issue 14 item 1): registered by URL with an optional
 * bearer token (sealed at rest, never returned), probed with get_adcp_capabilities through the
 * guarded upstream client, and offered to the buying flow beside the storefront agents. A
 * sponsored buyer buys only through its storefront: it registers none and is offered none.
 */
export function createSalesAgentsService(deps: SalesAgentsDeps) {
  // Discovery and execution read the caller's agents (and its domain) once per agent asked:
  // held briefly per customer (platform/read-cache.ts), cleared by any write here.
  const cache = createReadCache();
  const registry = createAgentRegistry(deps, {
    table: buyerSalesAgents,
    endpointKey: 'buyer_sales_agents_endpoint_key',
    endpointTaken: () =>
      conflict('You already registered an agent at this endpointUrl', 'endpointUrl'),
    rowIdOf: remoteRowIdOf,
    sealContext: 'buyer_sales_agent_auth',
    owner: credentialOwner.buyerSalesAgent,
    noun: 'Sales agent',
    sponsoredRefusal: 'A sponsored buyer buys only through its storefront: it cannot add agents',
    view: salesAgentView,
    cache,
  });
  const operatorOf = (customerId: number) =>
    cache.get(`domain:${customerId}`, () => deps.customerDomainOf(customerId));
  /** The customer's ACTIVE agent `remote-{id}`, else undefined. */
  const activeOne = async (customerId: number, agentId: string) => {
    const id = remoteRowIdOf(agentId);
    return (await registry.active(customerId)).find((row) => row.id === id);
  };

  return {
    targetOf: registry.targetOf,
    list: registry.list,
    get: registry.get,
    create: registry.create,
    update: registry.update,
    remove: registry.remove,
    refresh: registry.refresh,

    /** For the buying flow: the caller's ACTIVE agents; none for a sponsored buyer. */
    usableBy: registry.usableBy,

    /** For the buying flow: the caller's ACTIVE agent `remote-{id}`, else undefined. */
    async findUsable(principal: CustomerPrincipal, agentId: string) {
      if (remoteRowIdOf(agentId) === undefined || registry.sponsored(principal)) return undefined;
      return activeOne(principal.customerId, agentId);
    },

    /**
     * Whether the customer's agent names where its signing keys are (identity.brand_json_url in
     * its capabilities): only such an agent is asked for push notifications, since another's
     * could not be verified (polling follows its buys).
     */
    async publishesSigningKeys(customerId: number, agentId: string): Promise<boolean> {
      const row = await activeOne(customerId, agentId);
      return Boolean(row?.capabilities?.brandJsonUrl);
    },

    /**
     * Where agent `remote-{id}` publishes the keys its push notifications are signed with,
     * found through its brand.json (upstream/push/agent-keys.ts); undefined when it names none.
     * Throws when the brand.json cannot be read or does not list the agent.
     */
    async signingKeysUrl(agentId: string): Promise<string | undefined> {
      const id = remoteRowIdOf(agentId);
      const row = id === undefined ? undefined : await registry.findById(id);
      const brandJsonUrl = row?.capabilities?.brandJsonUrl;
      if (!row || !brandJsonUrl) return undefined;
      return agentJwksUrl(deps.fetch, { url: row.endpointUrl, brandJsonUrl });
    },

    /**
     * The AdCP account a buyer books under at its ACTIVE agent for a brand: the account the
     * seller issued it, else `{brand, operator}` with the buyer customer as operator (it buys on
     * the brand's behalf; a buyer without a domain is a brand operating for itself). Undefined
     * for an id that names none of the customer's ACTIVE agents (such an agent is not reached).
     */
    async accountFor(customerId: number, agentId: string, brandDomain: string) {
      const row = await activeOne(customerId, agentId);
      if (!row) return undefined;
      if (row.accountIdentifier) return { account_id: row.accountIdentifier };
      const operator = (await operatorOf(customerId)) ?? brandDomain;
      return { brand: { domain: brandDomain }, operator };
    },
  };
}
