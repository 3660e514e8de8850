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
  (page.agentResults as Json[]).find((a) => a.agentId === `storefront-${platformId}`);

/** The products a storefront offered in a discovery answer. */
export const productsOf = (page: Json, platformId: string): Json[] =>
  (page.productGroups as Json[]).find((g) => g.groupId === `storefront-${platformId}`)?.products ??
  [];
