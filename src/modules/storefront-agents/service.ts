import { AppError, notFound } from '../../platform/errors.js';
import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyerAccessService } from '../buyer-access/index.js';
import type { InventorySourcesService, SourceRow } from '../inventory-sources/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { AgentDetail, AgentListQuery, AgentSummary } from './schemas.js';

/**
 * The storefront's inventory sources seen as AdCP agents (hosted /storefront/agents): one agent
 * per distinct agent id (endpoint and protocol) among its sources with an endpoint. Drafts
 * have no agent yet. Another storefront's agent is NOT_FOUND here.
 */
export interface StorefrontAgentsDeps {
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  buyerAccess: BuyerAccessService;
}

export type StorefrontAgentsService = ReturnType<typeof createStorefrontAgentsService>;

type Credential = Awaited<ReturnType<BuyerAccessService['credentialsAtAgents']>>[number];

const statusRank = { ACTIVE: 0, PENDING: 1, DISABLED: 2 } as const;

/** The source that speaks for an agent: its most alive one, then the oldest. */
function leadOf(sources: SourceRow[]): SourceRow {
  return [...sources].sort(
    (a, b) => statusRank[a.status] - statusRank[b.status] || a.id - b.id,
  )[0] as SourceRow;
}

function summaryOf(sources: SourceRow[], credentials: Credential[]): AgentSummary {
  const lead = leadOf(sources);
  const requiresOperatorAuth = sources.some((s) => s.requiresCredentials);
  return {
    agentId: lead.agentId,
    type: lead.type as AgentSummary['type'],
    name: lead.capabilities?.agentName ?? lead.name,
    protocol: lead.protocol,
    status: lead.status,
    relationship: 'SELF',
    requiresOperatorAuth,
    requiresAccount: requiresOperatorAuth && credentials.length === 0,
    authConfigured: lead.authenticationType === 'NO_AUTH' || lead.authSealed !== null,
    createdAt: isoDate(lead.createdAt),
    customerAccountCount: credentials.length,
    sourceIds: sources.map((s) => s.sourceId),
  };
}

export function createStorefrontAgentsService(deps: StorefrontAgentsDeps) {
  /** The caller's storefront's sources grouped by agent id, in first-registered order. */
  async function agentsOf(principal: CustomerPrincipal) {
    const storefront = await deps.storefronts.requireOwn(principal);
    const rows = await deps.inventorySources.rowsOf(storefront.id);
    const byAgent = new Map<string, SourceRow[]>();
    for (const row of rows) byAgent.set(row.agentId, [...(byAgent.get(row.agentId) ?? []), row]);
    return { storefront, byAgent };
  }

  async function requireAgent(principal: CustomerPrincipal, agentId: string) {
    const { byAgent } = await agentsOf(principal);
    const sources = byAgent.get(agentId);
    if (!sources) throw notFound('Agent');
    return sources;
  }

  return {
    async list(principal: CustomerPrincipal, query: AgentListQuery) {
      const { byAgent } = await agentsOf(principal);
      const credentials = await deps.buyerAccess.credentialsAtAgents(principal.customerId, [
        ...byAgent.keys(),
      ]);
      const name = query.name?.toLowerCase();
      const all = [...byAgent.values()]
        .map((sources) =>
          summaryOf(
            sources,
            credentials.filter((c) => c.agentId === sources[0]?.agentId),
          ),
        )
        .filter(
          (a) =>
            query.relationship !== 'MARKETPLACE' &&
            (!query.type || a.type === query.type) &&
            (!query.status || a.status === query.status) &&
            (!name || a.name.toLowerCase().includes(name)) &&
            (query.supportsRegistration === undefined ||
              a.requiresOperatorAuth === (query.supportsRegistration === 'true')),
        );
      return { items: all.slice(query.offset, query.offset + query.limit), total: all.length };
    },

    async get(principal: CustomerPrincipal, agentId: string): Promise<AgentDetail> {
      const sources = await requireAgent(principal, agentId);
      const credentials = await deps.buyerAccess.credentialsAtAgents(principal.customerId, [
        agentId,
      ]);
      const lead = leadOf(sources);
      const mine = credentials[0];
      const billing = lead.capabilities?.billing;
      return {
        ...summaryOf(sources, credentials),
        description: lead.description,
        endpointUrl: lead.endpointUrl,
        authenticationType: lead.authenticationType,
        billingOptions: billing ? { default: billing[0] ?? null, supported: billing } : null,
        customerId: principal.customerId,
        reportingType: null,
        reportingPollingCadence: null,
        hasCustomerAccount: credentials.length > 0,
        hasMasterAccount: credentials.some((c) => c.accountType === 'MARKETPLACE'),
        ...(mine && {
          customerAccount: {
            id: mine.id,
            accountIdentifier: mine.accountIdentifier,
            status: mine.status,
            registeredBy: mine.registeredBy,
            createdAt: mine.createdAt,
          },
        }),
        oauth: null,
        updatedAt: isoDate(new Date(Math.max(...sources.map((s) => s.updatedAt.getTime())))),
      };
    },

    /**
     * Agent-level OAuth (hosted: the operator's tokens, used when the platform calls the agent)
     * is not supported: an OAUTH source's tokens are each buyer's own
     * (accounts/oauth/authorize). Refused with 400 after the ownership check, so another
     * storefront's agent still reads as NOT_FOUND.
     */
    async startOperatorOAuth(principal: CustomerPrincipal, agentId: string): Promise<never> {
      await requireAgent(principal, agentId);
      throw new AppError(
        'invalid',
        'Operator-held OAuth tokens are not supported: on an OAUTH source each buyer connects ' +
          'its own account with POST /api/v2/storefront/agents/{agentId}/accounts/oauth/authorize',
        { code: 'OPERATOR_OAUTH_UNSUPPORTED', field: 'agentId' },
      );
    },

    /**
     * Re-probes get_adcp_capabilities on every source of the storefront on this agent (the
     * sources' own probe path, recorded in their health and activity) and answers what the
     * agent reported; 503 when none answered.
     */
    async refreshCapabilities(principal: CustomerPrincipal, agentId: string) {
      const sources = await requireAgent(principal, agentId);
      const refreshed = await Promise.all(
        sources.map((s) => deps.inventorySources.refreshRow(s, principal.userId)),
      );
      const answered = refreshed.find(
        (r) => r.lastSuccessAt !== null && r.lastProbeAt?.getTime() === r.lastSuccessAt.getTime(),
      );
      if (!answered?.capabilities) {
        const error = refreshed[0]?.lastError;
        throw new AppError(
          'unavailable',
          `The agent did not answer a capability probe${error ? ` (${error.code}: ${error.message})` : ''}`,
          { code: 'AGENT_UNAVAILABLE', details: { agentId } },
        );
      }
      const caps = answered.capabilities;
      return {
        version: caps.adcpVersion ?? '',
        protocols: [...new Set(sources.map((s) => s.protocol.toLowerCase()))],
        tools: caps.tools,
        requireOperatorAuth: sources.some((s) => s.requiresCredentials),
        defaultBilling: caps.billing[0] ?? null,
        supportedBillings: caps.billing,
      };
    },
  };
}
