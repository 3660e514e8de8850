import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import { type MediaBuyStatus, retryableStatuses } from '../status/statuses.js';
import * as store from '../store.js';

/** The campaign's selected products, each with the media buys it was booked into. */
export async function campaignProducts(
  ctx: CampaignsContext,
  principal: CustomerPrincipal,
  id: string,
) {
  const { db, deps, requireCampaign, selectedOf } = ctx;
  const campaign = await requireCampaign(principal.customerId, id);
  const [selected, buys] = await Promise.all([
    selectedOf(campaign),
    store.buysOfCampaigns(db, [campaign.id]),
  ]);
  const discovery = campaign.discoveryId
    ? await deps.discovery.requireDiscovery(principal.customerId, campaign.discoveryId)
    : undefined;
  const products = selected.map(({ selection, product, agentName }) => {
    const buy = buys.find(
      (b) =>
        b.salesAgentId === selection.agentId &&
        b.packages.some((p) => p.productId === product.productId),
    );
    const option = product.pricingOptions.find(
      (o) => o['pricing_option_id'] === selection.pricingOptionId,
    );
    const model =
      typeof option?.['pricing_model'] === 'string' ? option['pricing_model'] : undefined;
    return {
      productId: product.productId,
      productName: product.name,
      salesAgentId: selection.agentId,
      salesAgentName: agentName,
      ...(selection.bidPrice !== null && { bidPrice: selection.bidPrice }),
      ...(selection.budget !== null && { budget: selection.budget }),
      pricingOptionId: selection.pricingOptionId,
      ...(model && { pricingModel: model }),
      selectedAt: selection.selectedAt.toISOString(),
      mediaBuys: buy
        ? [
            {
              mediaBuyId: buy.id,
              status: buy.status,
              name: buy.name,
              packageIds: buy.packages
                .filter((p) => p.productId === product.productId && p.packageId)
                .map((p) => p.packageId as string),
            },
          ]
        : [],
    };
  });
  const onBuys = products.filter((p) =>
    p.mediaBuys.some((b) => !retryableStatuses.includes(b.status as MediaBuyStatus)),
  ).length;
  return {
    campaignId: campaign.id,
    discoveryId: campaign.discoveryId,
    products,
    searchContexts: discovery
      ? [
          {
            id: discovery.id,
            brief: discovery.ask.brief ?? '',
            channels: discovery.ask.channels ?? [],
            countries: discovery.ask.countries ?? [],
            createdAt: discovery.createdAt.toISOString(),
            productCount: products.length,
          },
        ]
      : [],
    summary: {
      totalProducts: products.length,
      productsOnMediaBuys: onBuys,
      productsPending: products.length - onBuys,
    },
  };
}
