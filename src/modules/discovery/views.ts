import type { AgentRow, DiscoveryRow, SelectionRow } from './store.js';
import type { BrowseQuery } from './schemas.js';
import { pricingModelsOf } from './products.js';
import type { DiscoveredProduct } from './tables.js';
import { connectionIssuesOf, refinementAppliedOf } from './answer-notes.js';
import { cents } from '../../sources/money.js';

/** A storefront id on the wire: a string, or null for a remote agent (no storefront). */
const wireStorefrontId = (id: number | null) => (id === null ? null : String(id));

/** The storefronts an agent answers for: none for a remote agent. */
const storefrontsOf = ({ storefrontId, storefrontName }: AgentRow) =>
  storefrontId === null ? [] : [{ storefrontId: String(storefrontId), storefrontName }];

export function productView(agent: AgentRow, p: DiscoveredProduct) {
  return {
    productId: p.productId,
    name: p.name,
    ...(p.description !== undefined && { description: p.description }),
    ...(p.channels[0] !== undefined && { channel: p.channels[0] }),
    channels: p.channels,
    formatTypes: p.formatTypes,
    ...(p.cpm !== undefined && { cpm: p.cpm }),
    ...(p.currency !== undefined && { currency: p.currency }),
    ...(p.expiresAt !== undefined && { expiresAt: p.expiresAt }),
    salesAgentId: agent.agentId,
    salesAgentName: agent.agentName,
    storefrontId: wireStorefrontId(agent.storefrontId),
    storefrontName: agent.storefrontName,
    ...(p.deliveryType !== undefined && { deliveryType: p.deliveryType }),
    ...(p.briefRelevance !== undefined && { briefRelevance: p.briefRelevance }),
    pricingOptions: p.pricingOptions,
    publisherProperties: p.publisherDomains.map((publisherDomain) => ({ publisherDomain })),
  };
}

type Filter = Pick<
  BrowseQuery,
  'publisherDomain' | 'pricingModel' | 'storefrontIds' | 'storefrontNames' | 'salesAgentIds'
>;

function agentMatches(agent: AgentRow, f: Filter): boolean {
  if (
    f.storefrontIds?.length &&
    (agent.storefrontId === null || !f.storefrontIds.includes(agent.storefrontId))
  ) {
    return false;
  }
  if (f.salesAgentIds?.length && !f.salesAgentIds.includes(agent.agentId)) return false;
  if (f.storefrontNames?.length) {
    const name = agent.storefrontName.toLowerCase();
    if (!f.storefrontNames.some((n) => name.includes(n.toLowerCase()))) return false;
  }
  return true;
}

function productMatches(agent: AgentRow, p: DiscoveredProduct, f: Filter): boolean {
  if (f.pricingModel && !pricingModelsOf(p).some((m) => m.toLowerCase() === f.pricingModel)) {
    return false;
  }
  if (f.publisherDomain) {
    const domain = f.publisherDomain.toLowerCase();
    const domains = [
      ...p.publisherDomains,
      ...(agent.publisherDomain ? [agent.publisherDomain] : []),
    ];
    if (!domains.some((d) => d.toLowerCase() === domain)) return false;
  }
  return true;
}

export function budgetContextOf(discovery: DiscoveryRow, selections: SelectionRow[]) {
  const sessionBudget = discovery.ask.budget;
  if (sessionBudget === undefined) return undefined;
  const allocatedBudget = selections.reduce((sum, s) => sum + (s.budget ?? 0), 0);
  const remainingBudget = sessionBudget - allocatedBudget;
  return {
    sessionBudget,
    allocatedBudget,
    remainingBudget,
    ...(remainingBudget < 0 && { budgetWarning: 'Selected budgets exceed the session budget' }),
  };
}

/**
 * A page of a session as stored: groups are agents (storefronts) with products after the
 * filters, paged by group and within each group; agents that failed or ran out of time are
 * reported in agentResults (and incompleteAgents) whatever the filters.
 */
export function discoveryPage(
  discovery: DiscoveryRow,
  agents: AgentRow[],
  selections: SelectionRow[],
  query: BrowseQuery & { refine?: Array<{ scope: string; id?: string | undefined }> | undefined },
  agentBudgetMs: number,
) {
  const groups = agents
    .filter((a) => agentMatches(a, query))
    .map((agent) => ({
      agent,
      products: agent.products.filter((p) => productMatches(agent, p, query)),
    }))
    .filter((g) => g.products.length > 0);
  const all = groups.flatMap((g) => g.products.map((p) => ({ agent: g.agent, p })));
  const priced = all.filter((x) => x.p.cpm !== undefined).map((x) => x.p.cpm as number);
  const currencies = [...new Set(all.map((x) => x.p.currency).filter(Boolean))];
  const page = groups.slice(query.groupOffset, query.groupOffset + query.groupLimit);
  const budgetContext = budgetContextOf(discovery, selections);
  const refined = refinementAppliedOf(agents, query.refine);
  return {
    discoveryId: discovery.id,
    productGroups: page.map(({ agent, products }) => {
      const shown = products.slice(
        query.productOffset,
        query.productOffset + query.productsPerGroup,
      );
      return {
        groupId: agent.agentId,
        groupName: agent.storefrontName,
        storefrontId: wireStorefrontId(agent.storefrontId),
        storefrontName: agent.storefrontName,
        products: shown.map((p) => productView(agent, p)),
        productCount: shown.length,
        totalProducts: products.length,
        hasMoreProducts: query.productOffset + shown.length < products.length,
      };
    }),
    totalGroups: groups.length,
    hasMoreGroups: query.groupOffset + page.length < groups.length,
    summary: {
      totalProducts: all.length,
      // A remote agent counts as a publisher of its own.
      publishersCount: new Set(groups.map((g) => g.agent.storefrontId ?? g.agent.agentId)).size,
      ...(priced.length > 0 && {
        priceRange: {
          min: Math.min(...priced),
          max: Math.max(...priced),
          avg: cents(priced.reduce((a, b) => a + b, 0) / priced.length),
          ...(currencies.length === 1 && { currency: currencies[0] as string }),
        },
      }),
    },
    ...(budgetContext && { budgetContext }),
    proposals: agents.flatMap((agent) =>
      agent.proposals.map((proposal) => ({
        ...proposal,
        salesAgentId: agent.agentId,
        salesAgentName: agent.agentName,
        storefrontId: wireStorefrontId(agent.storefrontId),
        storefrontName: agent.storefrontName,
      })),
    ),
    incompleteAgents: agents
      .filter((a) => a.timedOut)
      .map((a) => ({
        agentId: a.agentId,
        agentName: a.agentName,
        storefronts: storefrontsOf(a),
        reason: 'timeout' as const,
        responseTimeMs: a.responseTimeMs,
        waitSeconds: Math.max(1, Math.ceil(agentBudgetMs / 1000)),
      })),
    agentResults: agents.map((a) => ({
      agentId: a.agentId,
      agentName: a.agentName,
      responseTimeMs: a.responseTimeMs,
      timedOut: a.timedOut,
      storefronts: storefrontsOf(a),
      success: a.success,
      productCount: a.products.length,
      ...(a.error !== null && { error: a.error }),
    })),
    pendingAgents: [],
    progress: {
      respondedStorefrontCount: agents.filter((a) => !a.timedOut).length,
      totalStorefrontCount: agents.length,
      waitSeconds: Math.max(1, Math.ceil(agentBudgetMs / 1000)),
    },
    retryWithLongerWaitAvailable: agents.some((a) => a.timedOut),
    revision: discovery.revision,
    resultsComplete: agents.every((a) => !a.timedOut),
    connectionIssues: connectionIssuesOf(agents),
    ...(refined && { refinementApplied: refined }),
  };
}

export function selectionView(s: SelectionRow) {
  return {
    productId: s.productId,
    storefrontId: wireStorefrontId(s.storefrontId),
    selectionId: String(s.id),
    salesAgentId: s.agentId,
    pricingOptionId: s.pricingOptionId,
    ...(s.bidPrice !== null && { bidPrice: s.bidPrice }),
    ...(s.budget !== null && { budget: s.budget }),
    ...(s.targetingOverlay !== null && { targetingOverlay: s.targetingOverlay }),
    selectedAt: s.selectedAt.toISOString(),
    groupId: s.agentId,
    groupName: s.groupName,
  };
}
