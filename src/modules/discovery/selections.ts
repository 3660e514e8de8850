import { invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { DiscoveryContext, SelectedProduct } from './context.js';
import { campaignWarningOf } from './answer-notes.js';
import { isAuctionOption, pricingOptionOf } from './products.js';
import type { AddProductsInput } from './schemas.js';
import * as store from './store.js';
import type { AgentRow, DiscoveryRow } from './store.js';
import type { DiscoveredProduct } from './tables.js';
import { budgetContextOf, selectionView } from './views.js';

/**
 * The products a buyer selects in a session (by hand or from a proposal), and what campaigns
 * read of them: the offers they book and the session's campaign.
 */
export function createSelections(ctx: DiscoveryContext) {
  const { db, requireCampaign, requireDiscovery } = ctx;

  async function selectionsAnswer(discovery: DiscoveryRow) {
    const selections = await store.selectionsOf(db, discovery.id);
    const budgetContext = budgetContextOf(discovery, selections);
    const warning = campaignWarningOf(discovery);
    return {
      discoveryId: discovery.id,
      products: selections.map(selectionView),
      totalProducts: selections.length,
      ...(budgetContext && { budgetContext }),
      campaignBound: discovery.campaignId !== null,
      ...(warning && { campaignWarning: warning }),
    };
  }

  /** The product an agent offered in the session; a productId alone must name one agent's. */
  function findOffer(agents: AgentRow[], productId: string, agentId?: string, field = 'productId') {
    const offers = agents.flatMap((agent) =>
      agentId !== undefined && agent.agentId !== agentId
        ? []
        : agent.products
            .filter((p) => p.productId === productId)
            .map((product) => ({ agent, product })),
    );
    if (offers.length === 0) {
      throw invalid(`Product ${productId} was not discovered in this session`, field);
    }
    if (offers.length > 1) {
      throw invalid(
        `Product ${productId} is offered by several agents: name its salesAgentId`,
        field,
      );
    }
    return offers[0] as { agent: AgentRow; product: DiscoveredProduct };
  }

  async function addSelections(
    discovery: DiscoveryRow,
    items: AddProductsInput['products'],
    replace: boolean,
  ) {
    const agents = await store.agentsOf(db, discovery.id);
    const rows = items.map((item, i) => {
      const { agent, product } = findOffer(
        agents,
        item.productId,
        item.salesAgentId,
        `products.${i}.productId`,
      );
      const option = pricingOptionOf(product, item.pricingOptionId);
      if (!option) {
        throw invalid(
          item.pricingOptionId
            ? `Product ${product.productId} has no pricing option ${item.pricingOptionId}`
            : `Product ${product.productId} offers no pricing option`,
          `products.${i}.pricingOptionId`,
        );
      }
      // Auction-priced inventory clears on the buyer's bid: without one there is nothing to book.
      if (isAuctionOption(option) && item.bidPrice === undefined) {
        throw invalid(
          `Product ${product.productId} is auction-priced: send a bidPrice`,
          `products.${i}.bidPrice`,
        );
      }
      return {
        discoveryId: discovery.id,
        customerId: discovery.customerId,
        agentId: agent.agentId,
        productId: product.productId,
        storefrontId: agent.storefrontId,
        groupName: agent.storefrontName,
        pricingOptionId: String(option['pricing_option_id']),
        bidPrice: item.bidPrice ?? null,
        budget: item.budget ?? null,
        targetingOverlay: item.targetingOverlay ?? null,
      };
    });
    await store.upsertSelections(db, discovery.id, rows, replace);
  }

  return {
    async selections(principal: CustomerPrincipal, id: string) {
      return selectionsAnswer(await requireDiscovery(principal.customerId, id));
    },

    async addProducts(principal: CustomerPrincipal, id: string, input: AddProductsInput) {
      const discovery = await requireDiscovery(principal.customerId, id);
      if (input.campaignId !== undefined) {
        await requireCampaign(principal.customerId, input.campaignId, discovery.advertiserId);
      }
      await addSelections(discovery, input.products, input.replace === true);
      if (input.campaignId !== undefined)
        await store.setCampaign(db, discovery.id, input.campaignId);
      return selectionsAnswer(await requireDiscovery(principal.customerId, id));
    },

    async removeProducts(principal: CustomerPrincipal, id: string, productIds: string[]) {
      const discovery = await requireDiscovery(principal.customerId, id);
      await store.deleteSelections(db, discovery.id, productIds);
      return selectionsAnswer(discovery);
    },

    /** Selects a proposal's products, each with its share of the budget (totalBudget, else the session's). */
    async applyProposal(
      principal: CustomerPrincipal,
      id: string,
      input: {
        proposalId: string;
        totalBudget?: number | undefined;
        replace?: boolean | undefined;
      },
    ) {
      const discovery = await requireDiscovery(principal.customerId, id);
      const agents = await store.agentsOf(db, discovery.id);
      const owner = agents.find((a) => a.proposals.some((p) => p.proposalId === input.proposalId));
      const proposal = owner?.proposals.find((p) => p.proposalId === input.proposalId);
      if (!owner || !proposal) throw notFound('Proposal');
      const total = input.totalBudget ?? discovery.ask.budget;
      const skipped: string[] = [];
      const items = proposal.allocations.flatMap((a) => {
        const product = owner.products.find((p) => p.productId === a.productId);
        const option = product && pricingOptionOf(product, a.pricingOptionId);
        // A proposal cannot supply a bid, so auction-priced lines are left for the buyer.
        if (!product || !option || isAuctionOption(option)) {
          skipped.push(a.productId);
          return [];
        }
        return [
          {
            productId: a.productId,
            salesAgentId: owner.agentId,
            pricingOptionId: String(option['pricing_option_id']),
            ...(total !== undefined && {
              budget: Math.round(total * a.allocationPercentage) / 100,
            }),
          },
        ];
      });
      if (items.length > 0) await addSelections(discovery, items, input.replace === true);
      const answer = await selectionsAnswer(discovery);
      return {
        ...answer,
        proposal: {
          proposalId: proposal.proposalId,
          name: proposal.name,
          salesAgentName: owner.agentName,
        },
        totalBudgetUsed: items.reduce((sum, i) => sum + (i.budget ?? 0), 0),
        productsApplied: items.length,
        productsSkipped: skipped,
      };
    },

    /** For campaigns: the session's selections with the offers they book, frozen as discovered. */
    async selectedProducts(customerId: number, id: string): Promise<SelectedProduct[]> {
      const discovery = await requireDiscovery(customerId, id);
      const [agents, selections] = await Promise.all([
        store.agentsOf(db, discovery.id),
        store.selectionsOf(db, discovery.id),
      ]);
      return selections.flatMap((selection) => {
        const agent = agents.find((a) => a.agentId === selection.agentId);
        const product = agent?.products.find((p) => p.productId === selection.productId);
        return agent && product ? [{ selection, agentName: agent.agentName, product }] : [];
      });
    },

    /** For campaign lists: the number of selected products per session, in one query. */
    selectionCounts: (customerId: number, ids: string[]) =>
      store.selectionCounts(db, customerId, ids),

    /** For campaigns: ties a session to a campaign (its products are the campaign's). */
    async bindCampaign(customerId: number, id: string, campaignId: string) {
      const discovery = await requireDiscovery(customerId, id);
      await store.setCampaign(db, discovery.id, campaignId);
      return discovery;
    },
  };
}
