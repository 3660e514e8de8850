import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

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

describe('a storefront’s create_media_buy answer', () => {
  it('gives each package its own budget when a product is booked twice (one package per period)', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      // A fixed price without a minimum spend per package: any split of the budget books.
      const fixedNoMinimum = (o: Record<string, unknown>) =>
        o['fixed_price'] !== undefined && o['min_spend_per_package'] === undefined;
      const product = products.find((p: { pricing_options: Array<Record<string, unknown>> }) =>
        p.pricing_options.some(fixedNoMinimum),
      );
      expect(product).toBeDefined();
      const half = Date.now() + 7 * 86_400_000;
      const buy = buyOf({
        product_id: product.product_id,
        pricing_options: product.pricing_options.filter(fixedNoMinimum),
      });
      const [only] = buy.packages;
      const twice = {
        ...buy,
        packages: [
          { ...only, budget: 3_000, end_time: new Date(half).toISOString() },
          { ...only, budget: 7_000, start_time: new Date(half).toISOString() },
        ],
      };
      const created = await agent.call('create_media_buy', twice);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(
        created.packages.map((p: { product_id: string; budget: number }) => [
          p.product_id,
          p.budget,
        ]),
      ).toEqual([
        [product.product_id, 3_000],
        [product.product_id, 7_000],
      ]);
    } finally {
      await agent.close();
    }
  });
});
