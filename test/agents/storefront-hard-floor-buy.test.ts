import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createHarness, type Harness } from '../harness.js';
import { agencyBuying, agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * The seller's hard floor at create_media_buy (issue 47, item 3), over MCP with the official
 * client: the answer shows CTV held to a 60 CPM floor under a 40% discount; a bid under it is
 * refused naming the field, a bid at it books, and the buyer's discounted price is no way under.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

type Option = { pricing_option_id: string; fixed_price?: number; floor_price?: number };
type Product = { product_id: string; channels?: string[]; pricing_options: Option[] };

describe('hard floor at create_media_buy', () => {
  it('refuses a bid under the floor (even at the discounted price), books one at the floor', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const terms = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
      key: sf.seller.key,
      body: {
        operatorDomain: null,
        brandDomain: null,
        discountPercent: 40,
        notes: null,
        countries: null,
        posture: null,
      },
    });
    expect(terms.status, terms.text).toBe(201);
    const card = await h.call('PUT', '/api/v2/storefront', {
      key: sf.seller.key,
      body: {
        compositionPricing: {
          rateCard: {
            currency: 'USD',
            facts: [
              {
                id: 'ctv-floor',
                label: 'CTV floor',
                appliesWhen: 'Any connected-TV product',
                hints: { channels: ['ctv'] },
                pricing: { pricingModel: 'cpm', floorPrice: 60 },
                strength: 'hard_floor',
              },
            ],
          },
        },
      },
    });
    expect(card.status, card.text).toBe(200);
    const buy = (product: Product, option: Option, bid: number) =>
      agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: account.brand,
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: option.pricing_option_id,
            budget: 30_000,
            bid_price: bid,
          },
        ],
      });
    try {
      const listed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'CTV across the network, auction',
        brand: account.brand,
        account,
        pagination: { max_results: 100 },
      });
      expect(listed.isError, JSON.stringify(listed)).toBe(false);
      const products = listed.products as Product[];
      // The demo's CTV news channel: an auction floor of 22, 13.2 after the discount, shown at 60.
      const ctv = products.find((p) => p.product_id.endsWith('ctv_news_channel'))!;
      const auction = ctv.pricing_options.find((o) => o.fixed_price === undefined)!;
      expect(auction.floor_price).toBe(60);

      const discounted = await buy(ctv, auction, 13.2);
      expect(discounted.isError).toBe(true);
      expect(discounted.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].bid_price',
      });
      expect(discounted.adcp_error.message).toContain('60');
      const under = await buy(ctv, auction, 59.99);
      expect(under.isError).toBe(true);
      expect(under.adcp_error.field).toBe('packages[0].bid_price');

      const atFloor = await buy(ctv, auction, 60);
      expect(atFloor.isError, JSON.stringify(atFloor)).toBe(false);
      expect(atFloor.media_buy_id).toMatch(/^mb_/);

      // Outside the floor's hints a low bid is the source's business, not the card's.
      const display = products.find(
        (p) =>
          p.channels?.includes('display') &&
          p.pricing_options.some((o) => o.fixed_price === undefined),
      )!;
      const displayAuction = display.pricing_options.find((o) => o.fixed_price === undefined)!;
      const low = await buy(display, displayAuction, displayAuction.floor_price!);
      expect(low.isError, JSON.stringify(low)).toBe(false);
    } finally {
      await agent.close();
    }
  });
});
