import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { assertEndpointInputAllowed, type OutboundFetch } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  agentJwksUrl,
  credentialOwner,
  registeredAgentTarget,
  type ProbeResult,
  type UpstreamClient,
  type UpstreamTarget,
} from '../../upstream/index.js';
import { registeredAgentAuth } from '../../upstream/agent-registration-schemas.js';
import { probeOutcome } from '../inventory-sources/index.js';
import { storefrontScopeOf } from '../identity/index.js';
import type {
  CreateSalesAgentInput,
  SalesAgentListQuery,
  UpdateSalesAgentInput,
} from './schemas.js';
import { remoteRowIdOf } from './agent-id.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import * as rawStore from './store.js';
import type { SalesAgentChanges, SalesAgentRow } from './store.js';
import { salesAgentView } from './views.js';

export interface SalesAgentsDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  /** The buyer customer's domain: the operator of a brand's account at a remote agent. */
  customerDomainOf: (customerId: number) => Promise<string | null>;
  allowPrivateNetwork: boolean;
  /** This deployment's own `host:port`s (its storefront agents may be registered by URL). */
  trustedHosts: ReadonlySet<string>;
  probeTimeoutMs: number;
  /** The guarded outbound client: agents' brand.json for their signing keys. */
  fetch: OutboundFetch;
  now?: () => Date;
}

export type SalesAgentsService = ReturnType<typeof createSalesAgentsService>;

/** Associated data binding a sealed token to its agent row, so it cannot be moved to another. */
const authContext = (row: { customerId: number; id: number }) =>
  `buyer_sales_agent_auth:${row.customerId}:${row.id}`;

/**
 * A buyer's remote AdCP sales agents (issue 14 item 1): registered by URL with an optional
 * bearer token (sealed at rest, never returned), probed with get_adcp_capabilities through the
 * guarded upstream client, and offered to the buying flow beside the storefront agents. A
 * sponsored buyer buys only through its storefront: it registers none and is offered none.
 */
export function createSalesAgentsService(deps: SalesAgentsDeps) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  // Discovery and execution read the caller's agents (and its domain) once per agent asked:
  // held briefly per customer (platform/read-cache.ts), cleared by any write here.
  const cache = createReadCache();
  const store = writesClear(
    rawStore,
    ['findAgent', 'findAgentById', 'listAgents', 'activeAgents'],
    cache,
  );
  const activeOf = (customerId: number) =>
    cache.get(`active:${customerId}`, () => store.activeAgents(db, customerId));
  const operatorOf = (customerId: number) =>
    cache.get(`domain:${customerId}`, () => deps.customerDomainOf(customerId));

  const checkEndpoint = (url: string) =>
    assertEndpointInputAllowed(url, 'endpointUrl', {
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: deps.trustedHosts,
    });

  async function requireAgent(principal: CustomerPrincipal, agentId: string) {
    const id = remoteRowIdOf(agentId, true);
    const row =
      id !== undefined && storefrontScopeOf(principal) === null
        ? await store.findAgent(db, principal.customerId, id)
        : undefined;
    if (!row) throw notFound('Sales agent');
    return row;
  }

  /** The upstream target of an agent: its endpoint, protocol and the buyer's token. */
  function targetOf(row: SalesAgentRow): UpstreamTarget {
    return registeredAgentTarget(
      secrets,
      row,
      authContext(row),
      credentialOwner.buyerSalesAgent(row.id),
    );
  }

  /** Probes the agent (get_adcp_capabilities, else its tool list) and records what it learned. */
  async function probe(row: SalesAgentRow): Promise<SalesAgentRow> {
    const result: ProbeResult = await deps.upstream.probe(targetOf(row), {
      timeoutMs: deps.probeTimeoutMs,
    });
    return store.updateAgent(db, row.id, probeOutcome(result, now()));
  }

  return {
    targetOf,

    async list(principal: CustomerPrincipal, query: SalesAgentListQuery) {
      if (storefrontScopeOf(principal) !== null) return { items: [], total: 0 };
      const { rows, total } = await store.listAgents(db, principal.customerId, query);
      return { items: rows.map(salesAgentView), total };
    },

    async get(principal: CustomerPrincipal, agentId: string) {
      return salesAgentView(await requireAgent(principal, agentId));
    },

    /** Registers an agent and probes it; an agent that does not answer is kept, its health failing. */
    async create(principal: CustomerPrincipal, input: CreateSalesAgentInput) {
      if (storefrontScopeOf(principal) !== null) {
        throw forbidden('A sponsored buyer buys only through its storefront: it cannot add agents');
      }
      const endpointUrl = input.endpointUrl ?? input.agentUrl;
      if (!endpointUrl) throw invalid('Send the agent’s endpointUrl (or agentUrl)', 'endpointUrl');
      await checkEndpoint(endpointUrl);
      const auth = registeredAgentAuth(input.authenticationType, input.auth);
      const token = auth.token;
      const row = await store.insertAgent(
        db,
        {
          customerId: principal.customerId,
          name: input.name,
          description: input.description ?? null,
          endpointUrl,
          protocol: input.protocol,
          authenticationType: auth.type,
          accountIdentifier: input.accountIdentifier ?? null,
        },
        token
          ? (id) => secrets.seal(token, authContext({ customerId: principal.customerId, id }))
          : null,
      );
      return salesAgentView(await probe(row));
    },

    /** Changes an agent; a new endpoint, protocol or credential is probed again. */
    async update(principal: CustomerPrincipal, agentId: string, input: UpdateSalesAgentInput) {
      const row = await requireAgent(principal, agentId);
      const endpointUrl = input.endpointUrl ?? input.agentUrl;
      if (endpointUrl !== undefined) await checkEndpoint(endpointUrl);
      const auth = registeredAgentAuth(input.authenticationType, input.auth, {
        type: row.authenticationType,
        hasToken: row.authSealed !== null,
      });
      const changes: SalesAgentChanges = {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(endpointUrl !== undefined && { endpointUrl }),
        ...(input.protocol !== undefined && { protocol: input.protocol }),
        ...(input.accountIdentifier !== undefined && {
          accountIdentifier: input.accountIdentifier,
        }),
        ...(input.status !== undefined && { status: input.status }),
        authenticationType: auth.type,
        ...(auth.token !== undefined && {
          authSealed: auth.token === null ? null : secrets.seal(auth.token, authContext(row)),
        }),
      };
      const updated = await store.updateAgent(db, row.id, changes);
      const reachChanged =
        (endpointUrl !== undefined && endpointUrl !== row.endpointUrl) ||
        (input.protocol !== undefined && input.protocol !== row.protocol) ||
        changes.authSealed !== undefined;
      return salesAgentView(reachChanged ? await probe(updated) : updated);
    },

    async remove(principal: CustomerPrincipal, agentId: string) {
      const row = await requireAgent(principal, agentId);
      await store.deleteAgent(db, principal.customerId, row.id);
      return salesAgentView(row);
    },

    /** Probes the agent again now and answers what it learned. */
    async refresh(principal: CustomerPrincipal, agentId: string) {
      return salesAgentView(await probe(await requireAgent(principal, agentId)));
    },

    /** For the buying flow: the caller's ACTIVE agents; none for a sponsored buyer. */
    async usableBy(principal: CustomerPrincipal): Promise<SalesAgentRow[]> {
      if (storefrontScopeOf(principal) !== null) return [];
      return activeOf(principal.customerId);
    },

    /** For the buying flow: the caller's ACTIVE agent `remote-{id}`, else undefined. */
    async findUsable(principal: CustomerPrincipal, agentId: string) {
      const id = remoteRowIdOf(agentId);
      if (id === undefined || storefrontScopeOf(principal) !== null) return undefined;
      return (await activeOf(principal.customerId)).find((row) => row.id === id);
    },

    /**
     * Whether the customer's agent names where its signing keys are (identity.brand_json_url in
     * its capabilities): only such an agent is asked for push notifications, since another's
     * could not be verified (polling follows its buys).
     */
    async publishesSigningKeys(customerId: number, agentId: string): Promise<boolean> {
      const id = remoteRowIdOf(agentId);
      const row = (await activeOf(customerId)).find((r) => r.id === id);
      return Boolean(row?.capabilities?.brandJsonUrl);
    },

    /**
     * Where agent `remote-{id}` publishes the keys its push notifications are signed with,
     * found through its brand.json (upstream/push/agent-keys.ts); undefined when it names none.
     * Throws when the brand.json cannot be read or does not list the agent.
     */
    async signingKeysUrl(agentId: string): Promise<string | undefined> {
      const id = remoteRowIdOf(agentId);
      const row = id === undefined ? undefined : await store.findAgentById(db, id);
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
      const id = remoteRowIdOf(agentId);
      const row = (await activeOf(customerId)).find((r) => r.id === id);
      if (!row) return undefined;
      if (row.accountIdentifier) return { account_id: row.accountIdentifier };
      const operator = (await operatorOf(customerId)) ?? brandDomain;
      return { brand: { domain: brandDomain }, operator };
    },
  };
}
