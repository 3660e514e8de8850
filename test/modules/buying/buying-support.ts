import { createCustomer, type Harness, type TestCustomer } from '../../harness.js';

/** A buyer with one advertiser for `brand` (a publisher domain sellers resolve accounts by). */
export async function buyerWithAdvertiser(
  h: Harness,
  brand = 'acmeoutdoor.example',
): Promise<{ buyer: TestCustomer; advertiserId: string }> {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const created = await h.call('POST', '/api/v2/buyer/advertisers', {
    key: buyer.key,
    body: { name: 'Acme Outdoor', brand, primaryCurrency: 'USD' },
  });
  if (created.status !== 201) throw new Error(`advertiser: ${created.text}`);
  return { buyer, advertiserId: created.body.data.id as string };
}

export const discover = (h: Harness, key: string, body: Record<string, unknown>) =>
  h.call('POST', '/api/v2/buyer/discovery/discover-products', { key, body });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export type Json = any;

/** The agent result for a storefront in a discovery answer. */
export const agentResultOf = (page: Json, platformId: string) =>
  resultOfAgent(page, `storefront-${platformId}`);

/** The products a storefront offered in a discovery answer. */
export const productsOf = (page: Json, platformId: string): Json[] =>
  productsOfAgent(page, `storefront-${platformId}`);

/** A selection of `product` on its first pricing option, bidding the floor when it is an auction. */
export function selectionOf(product: Json, budget = 16_000) {
  const option = product.pricingOptions[0];
  const auction = typeof option.fixed_price !== 'number';
  return {
    productId: product.productId,
    salesAgentId: product.salesAgentId,
    pricingOptionId: option.pricing_option_id,
    budget,
    ...(auction && { bidPrice: (option.floor_price ?? option.price_guidance?.p50 ?? 5) + 1 }),
  };
}

/** A two-week campaign starting tomorrow, for the advertiser, over the discovery's selections. */
export async function campaignOver(
  h: Harness,
  key: string,
  advertiserId: string,
  discoveryId: string,
  name = 'Spring launch',
) {
  const start = new Date(Date.now() + 86_400_000);
  const res = await h.call('POST', '/api/v2/buyer/campaigns', {
    key,
    body: {
      advertiserId: Number(advertiserId),
      name,
      flightDates: {
        startDate: start.toISOString(),
        endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
      },
      budget: { total: 40_000, currency: 'USD' },
      discoveryId,
    },
  });
  if (res.status !== 201) throw new Error(`campaign: ${res.text}`);
  return res.body.data.campaign.campaignId as string;
}

/** Registers a remote AdCP sales agent for the buyer; answers its agentId (`remote-{id}`). */
export async function remoteAgent(
  h: Harness,
  key: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await h.call('POST', '/api/v2/buyer/sales-agents', { key, body });
  if (res.status !== 201) throw new Error(`sales agent: ${res.text}`);
  return res.body.data.agentId as string;
}

/** The agent result and the products of any agent (storefront or remote) in a discovery answer. */
export const resultOfAgent = (page: Json, agentId: string) =>
  (page.agentResults as Json[]).find((a) => a.agentId === agentId);
export const productsOfAgent = (page: Json, agentId: string): Json[] =>
  (page.productGroups as Json[]).find((g) => g.groupId === agentId)?.products ?? [];

/**
 * A buyer's campaign over the first product each storefront offers for `brief`, executed: one
 * media buy per storefront. Answers the campaign and the execute answer.
 */
export async function executedCampaign(
  h: Harness,
  key: string,
  advertiserId: string,
  storefronts: Array<{ id: number; platformId: string }>,
  brief = 'Outdoor display for a spring launch',
) {
  const found = await discover(h, key, {
    advertiserId: Number(advertiserId),
    brief,
    storefrontIds: storefronts.map((s) => s.id),
  });
  if (found.status !== 200) throw new Error(`discover: ${found.text}`);
  const page = found.body.data;
  const products = storefronts.map((s) => productsOf(page, s.platformId)[0]);
  if (!products.every(Boolean)) throw new Error(`no product: ${found.text}`);
  const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
    key,
    body: { products: products.map((p) => selectionOf(p)) },
  });
  if (selected.status !== 200) throw new Error(`select: ${selected.text}`);
  const campaignId = await campaignOver(h, key, advertiserId, page.discoveryId);
  const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
    key,
    body: {},
  });
  if (executed.status !== 200) throw new Error(`execute: ${executed.text}`);
  return { campaignId, executed: executed.body.data as Json };
}

/** The advertiser's media buys, newest first. */
export async function mediaBuysOf(h: Harness, key: string, advertiserId: string) {
  const res = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys`, { key });
  if (res.status !== 200) throw new Error(`media buys: ${res.text}`);
  return res.body.data.items as Json[];
}

export { eventually } from '../../support/eventually.js';
