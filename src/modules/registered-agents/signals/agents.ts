import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { assertEndpointInputAllowed } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  credentialOwner,
  registeredAgentTarget,
  type UpstreamClient,
  type UpstreamTarget,
} from '../../upstream/index.js';
import { registeredAgentAuth } from '../../upstream/agent-registration-schemas.js';
import { storefrontScopeOf } from '../identity/index.js';
import { probeOutcome } from '../inventory-sources/index.js';
import { buyerSignalAgentIdOf, buyerSignalRowIdOf } from './agent-id.js';
import type { SignalAgentHandle } from './directory.js';
import type { CreateSignalAgentInput } from './schemas.js';
import * as store from './store.js';
import type { SignalAgentRow } from './store.js';
import { signalAgentView } from './views.js';

export interface SignalAgentsDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  allowPrivateNetwork: boolean;
  /** This deployment's own `host:port`s. */
  trustedHosts: ReadonlySet<string>;
  probeTimeoutMs: number;
  now?: () => Date;
}

/** Associated data binding a sealed token to its agent row, so it cannot be moved to another. */
const authContext = (row: { customerId: number; id: number }) =>
  `buyer_signal_agent_auth:${row.customerId}:${row.id}`;

/**
 * The signals agents a buyer registers by URL: a bearer token sealed at rest (never returned nor
 * logged), probed with get_adcp_capabilities through the guarded upstream client. A sponsored
 * buyer uses its storefront's signals agents and registers none.
 */
export function createSignalAgents(deps: SignalAgentsDeps) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());

  async function requireAgent(principal: CustomerPrincipal, agentId: string) {
    const id = buyerSignalRowIdOf(agentId, true);
    const row =
      id !== undefined && storefrontScopeOf(principal) === null
        ? await store.findAgent(db, principal.customerId, id)
        : undefined;
    if (!row) throw notFound('Signals agent');
    return row;
  }

  function targetOf(row: SignalAgentRow): UpstreamTarget {
    return registeredAgentTarget(
      secrets,
      row,
      authContext(row),
      credentialOwner.buyerSignalAgent(row.id),
    );
  }

  async function probe(row: SignalAgentRow): Promise<SignalAgentRow> {
    const result = await deps.upstream.probe(targetOf(row), { timeoutMs: deps.probeTimeoutMs });
    return store.updateAgent(db, row.id, probeOutcome(result, now()));
  }

  const handleOf = (row: SignalAgentRow): SignalAgentHandle => ({
    agentId: buyerSignalAgentIdOf(row.id),
    agentName: row.name,
    registeredBy: { kind: 'BUYER', storefrontId: null },
    accountIdentifier: row.accountIdentifier,
    target: async () => targetOf(row),
  });

  return {
    async list(principal: CustomerPrincipal, page: { limit: number; offset: number }) {
      if (storefrontScopeOf(principal) !== null) return { items: [], total: 0 };
      const { rows, total } = await store.listAgents(db, principal.customerId, page);
      return { items: rows.map(signalAgentView), total };
    },

    async get(principal: CustomerPrincipal, agentId: string) {
      return signalAgentView(await requireAgent(principal, agentId));
    },

    /** Registers an agent and probes it; one that does not answer is kept, its health failing. */
    async create(principal: CustomerPrincipal, input: CreateSignalAgentInput) {
      if (storefrontScopeOf(principal) !== null) {
        throw forbidden(
          'A sponsored buyer uses its storefront’s signals agents: it cannot add one',
        );
      }
      const endpointUrl = input.endpointUrl ?? input.agentUrl;
      if (!endpointUrl) throw invalid('Send the agent’s endpointUrl (or agentUrl)', 'endpointUrl');
      await assertEndpointInputAllowed(endpointUrl, 'endpointUrl', {
        allowPrivateNetwork: deps.allowPrivateNetwork,
        trustedHosts: deps.trustedHosts,
      });
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
      return signalAgentView(await probe(row));
    },

    async remove(principal: CustomerPrincipal, agentId: string) {
      const row = await requireAgent(principal, agentId);
      await store.deleteAgent(db, principal.customerId, row.id);
      return signalAgentView(row);
    },

    /** The caller's ACTIVE agents, as the directory offers them; none for a sponsored buyer. */
    async usableBy(principal: CustomerPrincipal): Promise<SignalAgentHandle[]> {
      if (storefrontScopeOf(principal) !== null) return [];
      return (await store.activeAgents(db, principal.customerId)).map(handleOf);
    },
  };
}

export type SignalAgents = ReturnType<typeof createSignalAgents>;
