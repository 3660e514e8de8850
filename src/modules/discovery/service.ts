import type { CustomerPrincipal } from '../../platform/principal.js';
import { notFound } from '../../platform/errors.js';
import { discoveryContext, type DiscoveryDeps } from './context.js';
import { createDiscoveryRounds } from './rounds/discovery-rounds.js';
import type { BrowseQuery } from './schemas.js';
import { createSelections } from './selections.js';
import * as store from './store.js';
import type { DiscoveryRow } from './store.js';
import { discoveryPage, productView } from './views.js';

export type { DiscoveryDeps, SelectedProduct } from './context.js';

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;

/**
 * Buyer discovery (issue 14): asks every storefront agent the buyer may use, in parallel and
 * within a budget, and keeps each agent's answer per session so browsing, filtering, paging and
 * selecting re-read it without asking again. Sessions belong to one buyer customer.
 *
 * The service is its parts, each given the shared context: discovery rounds, browsing a
 * session's answers, and selections.
 */
export function createDiscoveryService(deps: DiscoveryDeps) {
  const ctx = discoveryContext(deps);
  const { db, requireDiscovery, withNotices } = ctx;
  const rounds = createDiscoveryRounds(ctx);
  const selections = createSelections(ctx);

  async function pageOf(discovery: DiscoveryRow, query: BrowseQuery) {
    const [agents, selections] = await Promise.all([
      store.agentsOf(db, discovery.id),
      store.selectionsOf(db, discovery.id),
    ]);
    return withNotices(
      discovery.customerId,
      discoveryPage(discovery, agents, selections, query, deps.agentBudgetMs),
    );
  }

  return {
    requireDiscovery,
    discover: rounds.discover,

    async browse(principal: CustomerPrincipal, id: string, query: BrowseQuery) {
      return pageOf(await requireDiscovery(principal.customerId, id), query);
    },

    selections: selections.selections,
    addProducts: selections.addProducts,
    removeProducts: selections.removeProducts,
    applyProposal: selections.applyProposal,

    async productDetails(
      principal: CustomerPrincipal,
      id: string,
      productId: string,
      agentId: string,
    ) {
      const discovery = await requireDiscovery(principal.customerId, id);
      const agent = (await store.agentsOf(db, discovery.id)).find((a) => a.agentId === agentId);
      const product = agent?.products.find((p) => p.productId === productId);
      if (!agent || !product) throw notFound('Product');
      const view = productView(agent, product);
      return {
        productId: view.productId,
        name: view.name,
        ...(view.description !== undefined && { description: view.description }),
        ...(view.channel !== undefined && { channel: view.channel }),
        ...(view.deliveryType !== undefined && { deliveryType: view.deliveryType }),
        salesAgentId: view.salesAgentId,
        salesAgentName: view.salesAgentName,
        storefrontId: view.storefrontId,
        storefrontName: view.storefrontName,
        ...(view.cpm !== undefined && { cpm: view.cpm }),
        ...(view.currency !== undefined && { currency: view.currency }),
        pricingOptions: view.pricingOptions,
        formatTypes: view.formatTypes,
        publisherProperties: view.publisherProperties,
      };
    },

    selectedProducts: selections.selectedProducts,
    selectionCounts: selections.selectionCounts,
    bindCampaign: selections.bindCampaign,
  };
}
