import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * The seller's rate card in get_products (issue 47, item 3), over MCP with the official client:
 * a hard floor scoped by its hints is never undercut by the buyer's discount or a posture;
 * guidance is shown, never priced.
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

type Option = { pricing_model: string; fixed_price?: number; floor_price?: number };
type Product = {
  product_id: string;
  channels?: string[];
  pricing_options: Option[];
  ext?: { interchange?: { rate_card?: Array<{ fact_id: string; strength: string }> } };
};
const byId = (products: Product[]) => new Map(products.map((p) => [p.product_id, p]));
const priceOf = (o: Option) => o.fixed_price ?? o.floor_price;

describe('rate card in get_products', () => {
  it('holds a hard floor under a 40% discount and a price_first posture, for the products its hints name only', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const ask = () =>
      agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'CTV, video and display across the site',
        brand: { domain: 'acme.example' },
        pagination: { max_results: 100 },
      });
    try {
      const listed = await ask();
      expect(listed.isError, JSON.stringify(listed)).toBe(false);
      const list = byId(listed.products as Product[]);
      const ctv = [...list.values()].filter((p) => p.channels?.includes('ctv'));
      const others = [...list.values()].filter((p) => !p.channels?.includes('ctv'));
      expect(ctv.length).toBeGreaterThan(2);
      expect(others.length).toBeGreaterThan(2);

      // The operator: 40% off for every buyer, posture price_first pinned; the rate card:
      // CTV never below 60 CPM, and a guidance fact that must not price anything.
      const terms = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: {
          operatorDomain: null,
          brandDomain: null,
          discountPercent: 40,
          notes: null,
          countries: null,
          posture: 'price_first',
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
                {
                  id: 'display-hint',
                  label: 'Display guidance',
                  appliesWhen: 'Display could sell at 1',
                  hints: { channels: ['display'] },
                  pricing: { pricingModel: 'cpm', targetPrice: 1 },
                  strength: 'guidance',
                },
              ],
            },
          },
        },
      });
      expect(card.status, card.text).toBe(200);

      const priced = await ask();
      expect(priced.isError, JSON.stringify(priced)).toBe(false);
      const shown = priced.products as Product[];
      // An agent books its own fixed price: a CTV product whose only prices are fixed under the
      // floor can be sold neither at the floor nor under it, so it is left out; none else is.
      const unsellable = [...list.values()].filter(
        (p) =>
          p.channels?.includes('ctv') &&
          p.pricing_options.every((o) => o.fixed_price !== undefined && o.fixed_price < 60),
      );
      expect(unsellable.map((p) => p.product_id)).toContain('demo__ctv_prime_drama');
      expect(shown.map((p) => p.product_id).sort()).toEqual(
        [...list.keys()].filter((id) => !unsellable.some((p) => p.product_id === id)).sort(),
      );
      const ctvPrices = shown
        .filter((p) => p.channels?.includes('ctv'))
        .flatMap((p) => p.pricing_options.map(priceOf));
      expect(Math.min(...(ctvPrices as number[]))).toBeGreaterThanOrEqual(60);
      for (const product of shown) {
        const before = list.get(product.product_id)!;
        const facts = (product.ext?.interchange?.rate_card ?? []).map((f) => f.fact_id);
        product.pricing_options.forEach((option, i) => {
          const price = priceOf(option)!;
          if (product.channels?.includes('ctv')) {
            // No CTV price below the floor, whatever the discount did.
            expect(price, product.product_id).toBeGreaterThanOrEqual(60);
            expect(facts).toEqual(['ctv-floor']);
          } else {
            // Outside the floor's hints: the agent's own prices (guidance prices nothing). A
            // fixed price is the one it books; a floor 40 % off would be under the agent's own,
            // so a bid there would be refused: the floor shown is the agent's.
            const upstream = before.pricing_options.find(
              (o) => (o.fixed_price === undefined) === (option.fixed_price === undefined),
            );
            const expected = priceOf(upstream!)!;
            expect(price, `${product.product_id} option ${i}`).toBeCloseTo(expected, 2);
          }
        });
        if (product.channels?.includes('display')) expect(facts).toEqual(['display-hint']);
      }
      // A CTV fixed price is shown only at or over the floor, as the agent quotes it: the news
      // channel keeps its auction (raised to 60), not its fixed 30; the premiere pod stays at 65.
      const news = shown.find((p) => p.product_id === 'demo__ctv_news_channel')!;
      expect(news.pricing_options.map((o) => [o.fixed_price, o.floor_price])).toEqual([
        [undefined, 60],
      ]);
      const premiere = shown.find((p) => p.product_id === 'demo__ctv_premiere_pod')!;
      expect(premiere.pricing_options[0]!.fixed_price).toBe(65);
    } finally {
      await agent.close();
    }
  });
});
