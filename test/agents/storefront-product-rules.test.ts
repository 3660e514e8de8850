import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

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

type Product = {
  product_id: string;
  channels?: string[];
  pricing_options: Array<{ pricing_option_id: string; fixed_price?: number }>;
};

describe('product rules on a storefront agent', () => {
  it('shapes what buyers see, and a packaged product is bought as its components', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const rule = (body: Record<string, unknown>) =>
      h.call('POST', '/api/v2/storefront/product-rules', { key: sf.seller.key, body });
    expect(
      (await rule({ name: 'No audio', kind: 'exclude', match: { channels: ['streaming_audio'] } }))
        .status,
    ).toBe(201);
    expect(
      (
        await rule({
          name: 'Prime CTV',
          kind: 'package',
          match: { productIds: ['demo__ctv_prime_drama', 'demo__ctv_live_sports'] },
          action: { productId: 'prime-ctv', name: 'Prime CTV bundle' },
        })
      ).status,
    ).toBe(201);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = (await agent.call('get_products', { buying_mode: 'wholesale' })) as {
        products: Product[];
      };
      const ids = products.map((p) => p.product_id);
      expect(products.some((p) => p.channels?.includes('streaming_audio'))).toBe(false);
      expect(ids).toContain('prime-ctv');
      expect(ids).not.toContain('demo__ctv_prime_drama');
      expect(ids).not.toContain('demo__ctv_live_sports');

      const bundle = products.find((p) => p.product_id === 'prime-ctv')!;
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: 'prime-ctv',
            pricing_option_id: bundle.pricing_options[0]!.pricing_option_id,
            budget: 100_000,
          },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages.map((p: { product_id: string }) => p.product_id).sort()).toEqual([
        'demo__ctv_live_sports',
        'demo__ctv_prime_drama',
      ]);
      const sent = seller
        .toolCalls()
        .filter((c) => c.tool === 'create_media_buy')
        .at(-1)!.args['packages'] as Array<{
        product_id: string;
        pricing_option_id: string;
        budget: number;
      }>;
      expect(sent.map((p) => [p.product_id, p.pricing_option_id, p.budget]).sort()).toEqual([
        ['ctv_live_sports', 'ctv_live_sports_cpm_fixed', 50_000],
        ['ctv_prime_drama', 'ctv_prime_drama_cpm_fixed', 50_000],
      ]);
    } finally {
      await agent.close();
    }
  });
});
