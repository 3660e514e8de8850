import type { SecretBox } from '../../../platform/crypto/secrets.js';
import type { Db } from '../../../platform/db/database.js';
import { forbidden, invalid, notFound } from '../../../platform/errors.js';
import { assertEndpointInputAllowed } from '../../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { writesClear, type ReadCache } from '../../../platform/read-cache.js';
import {
  registeredAgentTarget,
  type UpstreamClient,
  type UpstreamTarget,
} from '../../../upstream/index.js';
import { registeredAgentAuth } from '../../../upstream/agent-registration-schemas.js';
import { storefrontScopeOf } from '../../identity/index.js';
import { probeOutcome } from '../../inventory-sources/index.js';
import type { CreateAgentInput, UpdateAgentInput } from './agent-schemas.js';
import { agentStore, type AgentChanges, type AgentRow, type AgentTable } from './agent-store.js';

/** What every kind of registered agent needs of the platform. */
export interface RegistryDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  allowPrivateNetwork: boolean;
  /** This deployment's own `host:port`s (its storefront agents may be registered by URL). */
  trustedHosts: ReadonlySet<string>;
  probeTimeoutMs: number;
  now?: () => Date;
}

/** One kind of registered agent: its table, its ids, its words, and how it is answered. */
export interface AgentKind<V> extends AgentTable {
  /** The row id an agent id names (or, on the kind's own routes, the bare id); else undefined. */
  rowIdOf(agentId: string, bareAllowed?: boolean): number | undefined;
  /** Prefix of the associated data binding a sealed token to its row (never to another's). */
  sealContext: string;
  /** Who a credential is presented for (upstream's credentialOwner). */
  owner(rowId: number): string;
  /** The noun of NOT_FOUND ("Sales agent"). */
  noun: string;
  /** Why a sponsored buyer (one that buys only through its storefront) may not register one. */
  sponsoredRefusal: string;
  view(row: AgentRow): V;
  /** Reads of the caller's ACTIVE agents held briefly; every write here clears it. */
  cache?: ReadCache;
}

export type AgentRegistry<V> = ReturnType<typeof createAgentRegistry<V>>;

/**
 * The registry of one kind of agent a buyer registers by URL: an optional bearer token sealed at
 * rest bound to its row (never returned nor logged), the endpoint checked against private
 * networks, probed with get_adcp_capabilities through the guarded upstream client. A sponsored
 * buyer uses its storefront's agents: it registers none, sees none and is offered none. Another
 * customer's agent answers NOT_FOUND.
 */
export function createAgentRegistry<V>(deps: RegistryDeps, kind: AgentKind<V>) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  const { cache } = kind;
  const rawStore = agentStore(kind);
  const store = cache
    ? writesClear(rawStore, ['findAgent', 'findAgentById', 'listAgents', 'activeAgents'], cache)
    : rawStore;
  const sponsored = (principal: CustomerPrincipal) => storefrontScopeOf(principal) !== null;
  const authContext = (row: { customerId: number; id: number }) =>
    `${kind.sealContext}:${row.customerId}:${row.id}`;

  const checkEndpoint = (url: string) =>
    assertEndpointInputAllowed(url, 'endpointUrl', {
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: deps.trustedHosts,
    });

  async function requireAgent(principal: CustomerPrincipal, agentId: string) {
    const id = kind.rowIdOf(agentId, true);
    const row =
      id !== undefined && !sponsored(principal)
        ? await store.findAgent(db, principal.customerId, id)
        : undefined;
    if (!row) throw notFound(kind.noun);
    return row;
  }

  /** The upstream target of an agent: its endpoint, protocol and the buyer's token. */
  function targetOf(row: AgentRow): UpstreamTarget {
    return registeredAgentTarget(secrets, row, authContext(row), kind.owner(row.id));
  }

  /** Probes the agent (get_adcp_capabilities, else its tool list) and records what it learned. */
  async function probe(row: AgentRow): Promise<AgentRow> {
    const result = await deps.upstream.probe(targetOf(row), { timeoutMs: deps.probeTimeoutMs });
    return store.updateAgent(db, row.id, probeOutcome(result, now()));
  }

  /** The customer's ACTIVE agents, oldest first (through the cache when the kind keeps one). */
  const active = (customerId: number) =>
    cache
      ? cache.get(`active:${customerId}`, () => store.activeAgents(db, customerId))
      : store.activeAgents(db, customerId);

  return {
    targetOf,
    active,
    sponsored,
    findById: (id: number) => store.findAgentById(db, id),

    async list(principal: CustomerPrincipal, page: { limit: number; offset: number }) {
      if (sponsored(principal)) return { items: [], total: 0 };
      const { rows, total } = await store.listAgents(db, principal.customerId, page);
      return { items: rows.map(kind.view), total };
    },

    async get(principal: CustomerPrincipal, agentId: string) {
      return kind.view(await requireAgent(principal, agentId));
    },

    /** Registers an agent and probes it; one that does not answer is kept, its health failing. */
    async create(principal: CustomerPrincipal, input: CreateAgentInput) {
      if (sponsored(principal)) throw forbidden(kind.sponsoredRefusal);
      const endpointUrl = input.endpointUrl ?? input.agentUrl;
      if (!endpointUrl) throw invalid('Send the agent’s endpointUrl (or agentUrl)', 'endpointUrl');
      await checkEndpoint(endpointUrl);
      const { type, token } = registeredAgentAuth(input.authenticationType, input.auth);
      const row = await store.insertAgent(
        db,
        {
          customerId: principal.customerId,
          name: input.name,
          description: input.description ?? null,
          endpointUrl,
          protocol: input.protocol,
          authenticationType: type,
          accountIdentifier: input.accountIdentifier ?? null,
        },
        token
          ? (id) => secrets.seal(token, authContext({ customerId: principal.customerId, id }))
          : null,
      );
      return kind.view(await probe(row));
    },

    /** Changes an agent; a new endpoint, protocol or credential is probed again. */
    async update(principal: CustomerPrincipal, agentId: string, input: UpdateAgentInput) {
      const row = await requireAgent(principal, agentId);
      const endpointUrl = input.endpointUrl ?? input.agentUrl;
      if (endpointUrl !== undefined) await checkEndpoint(endpointUrl);
      const auth = registeredAgentAuth(input.authenticationType, input.auth, {
        type: row.authenticationType,
        hasToken: row.authSealed !== null,
      });
      const changes: AgentChanges = {
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
      return kind.view(reachChanged ? await probe(updated) : updated);
    },

    async remove(principal: CustomerPrincipal, agentId: string) {
      const row = await requireAgent(principal, agentId);
      await store.deleteAgent(db, principal.customerId, row.id);
      return kind.view(row);
    },

    /** Probes the agent again now and answers what it learned. */
    async refresh(principal: CustomerPrincipal, agentId: string) {
      return kind.view(await probe(await requireAgent(principal, agentId)));
    },

    /** The caller's ACTIVE agents, to ask; none for a sponsored buyer. */
    async usableBy(principal: CustomerPrincipal): Promise<AgentRow[]> {
      return sponsored(principal) ? [] : active(principal.customerId);
    },
  };
}
