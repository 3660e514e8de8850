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

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };

describe('sandbox accounts on a storefront agent', () => {
  it('seeds products with the test controller and buys them without reaching a real source', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const seed = (scenario: string, params: Record<string, unknown>) =>
        agent.call('comply_test_controller', { scenario, params, account: sandbox });
      const refused = await agent.call('comply_test_controller', {
        scenario: 'seed_product',
        params: { product_id: 'x', fixture: {} },
        account: { brand: { domain: 'test.example' }, operator: 'test.example' },
      });
      expect(JSON.stringify(refused)).not.toContain('"success":true');
      expect(
        (
          await seed('seed_product', {
            product_id: 'sports_q2',
            fixture: { delivery_type: 'guaranteed', channels: ['video'] },
          })
        ).success,
      ).toBe(true);
      expect(
        (
          await seed('seed_pricing_option', {
            product_id: 'sports_q2',
            pricing_option_id: 'cpm_g',
            fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 22 },
          })
        ).success,
      ).toBe(true);

      const shown = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: sandbox,
      });
      const seeded = shown.products.find(
        (p: { product_id: string }) => p.product_id === 'sports_q2',
      );
      expect(seeded).toMatchObject({
        channels: ['olv'],
        pricing_options: expect.arrayContaining([
          expect.objectContaining({ pricing_option_id: 'cpm_g' }),
        ]),
      });
      // Other buyers, and this buyer's live accounts, do not see sandbox inventory.
      const live = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(live.products.some((p: { product_id: string }) => p.product_id === 'sports_q2')).toBe(
        false,
      );

      const before = seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length;
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: sandbox,
        brand: { domain: 'test.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [{ product_id: 'sports_q2', pricing_option_id: 'cpm_g', budget: 5000 }],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages[0].product_id).toBe('sports_q2');
      expect(seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length).toBe(before);

      const simulated = await seed('simulate_delivery', {
        media_buy_id: created.media_buy_id,
        impressions: 1200,
        clicks: 7,
      });
      expect(simulated.success).toBe(true);
      const delivery = await agent.call('get_media_buy_delivery', {
        media_buy_ids: [created.media_buy_id],
        account: sandbox,
      });
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 1200,
        clicks: 7,
      });
    } finally {
      await agent.close();
    }
  });
});
