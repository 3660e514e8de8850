import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryRuns } from '../../src/modules/discovery-runs/tables.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Hosted's PUT /learned-default-posture (issue 47, item 2) is the console's Accept by another
 * door: pinning history's recommended posture makes get_products follow it (over MCP), pinning
 * another leaves it the only accepted one, null clears them and the answer is no longer cut.
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

type Product = { pricing_options: Array<{ fixed_price?: number; floor_price?: number }> };
const lowest = (p: Product) =>
  Math.min(...p.pricing_options.map((o) => o.fixed_price ?? o.floor_price ?? Infinity));
const url = '/api/v2/storefront/learned-default-posture';
const acceptances = '/api/v2/storefront/seller-analytics/posture-acceptances';

describe('PUT /learned-default-posture', () => {
  it('accepts the recommendation for get_products, keeps one posture, and clears', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    // History: five refine runs objecting to price, none booked: price_first is recommended.
    for (let i = 0; i < 5; i++) {
      await h.database.db.insert(discoveryRuns).values({
        storefrontId: sf.id,
        buyerCustomerId: buyer.id,
        operatorDomain: null,
        brandDomain: 'acme.example',
        country: null,
        buyingMode: 'refine',
        brief: null,
        refine: [{ scope: 'request', ask: 'Too expensive, can you lower the CPM?' }],
        productIds: [],
        packages: {},
        sourceOutcomes: [{ sourceId: 'alpha', ok: true, productCount: 3, latencyMs: 5 }],
        discountPercent: null,
        durationMs: 1,
        createdAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    }
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const ask = async () => {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Video, display, CTV and audio across the site',
        brand: { domain: 'acme.example' },
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      return (answer.products as Product[]).map(lowest);
    };
    const put = (posture: unknown) => h.call('PUT', url, { key: sf.seller.key, body: { posture } });
    try {
      const unguided = await ask();
      expect(unguided.length).toBeGreaterThan(10);

      const bad = await put('cheapest');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('posture');

      const earlier = await h.call('POST', acceptances, {
        key: sf.seller.key,
        body: { posture: 'hold_value' },
      });
      expect(earlier.status, earlier.text).toBe(201);
      const pinned = await put('price_first');
      expect(pinned.status, pinned.text).toBe(200);
      expect(pinned.body.data.learnedDefault).toMatchObject({ posture: 'price_first' });
      expect(Date.parse(pinned.body.data.learnedDefault.checkedAt)).not.toBeNaN();
      const listed = await h.call('GET', acceptances, { key: sf.seller.key });
      expect(listed.body.data.items.map((i: { posture: string }) => i.posture)).toEqual([
        'price_first',
      ]);
      const guided = await ask();
      expect(guided.length).toBeLessThanOrEqual(10);
      expect(guided).toEqual([...guided].sort((a, b) => a - b));

      const cleared = await put(null);
      expect(cleared.status, cleared.text).toBe(200);
      expect(cleared.body.data).toEqual({ learnedDefault: null });
      const none = await h.call('GET', acceptances, { key: sf.seller.key });
      expect(none.body.data.items).toEqual([]);
      expect((await ask()).length).toBe(unguided.length);
    } finally {
      await agent.close();
    }
  });
});
