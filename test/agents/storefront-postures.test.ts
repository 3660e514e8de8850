import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryRuns } from '../../src/modules/discovery-runs/tables.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * The storefront agent follows its history (issue 17, item 5): with price objections that never
 * booked, the recommended posture is price_first and, once the seller accepts it (issue 47),
 * get_products leads with the cheapest products; an operator's pinned posture (buyer instructions) wins; each run records what it
 * used and what was recommended, and adherence compares them.
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

type Product = {
  product_id: string;
  pricing_options: Array<{ fixed_price?: number; floor_price?: number }>;
};
const lowest = (p: Product) =>
  Math.min(
    ...p.pricing_options.map((o) => o.fixed_price ?? o.floor_price ?? Number.POSITIVE_INFINITY),
  );

async function runsOf(key: string, count: number) {
  // Runs are written behind the answer: wait for them.
  const res = await eventually(
    () => h.call('GET', '/api/v2/storefront/seller-analytics', { key }),
    (r) => r.body.data?.window.runCount >= count,
  );
  return res.body.data;
}

describe('postures in get_products', () => {
  it('follows the recommendation, lets the operator pin another, and records both', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    // History: five refine runs of this buyer objecting to price, none of which booked.
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
    const ask = (extra: Record<string, unknown> = {}) =>
      agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Video, display, CTV and audio across the site',
        brand: { domain: 'acme.example' },
        ...extra,
      });
    // A recommendation applies only once the seller accepts it (issue 47, item 2).
    const accepted = await h.call(
      'POST',
      '/api/v2/storefront/seller-analytics/posture-acceptances',
      {
        key: sf.seller.key,
        body: { posture: 'price_first' },
      },
    );
    expect(accepted.status, accepted.text).toBe(201);
    try {
      const guided = await ask();
      expect(guided.isError, JSON.stringify(guided)).toBe(false);
      const prices = (guided.products as Product[]).map(lowest);
      expect(prices.length).toBeGreaterThan(5);
      expect(prices.length).toBeLessThanOrEqual(10);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));

      // The buyer pages: the posture orders but does not cut.
      const paged = await ask({ pagination: { max_results: 100 } });
      expect((paged.products as Product[]).length).toBeGreaterThan(10);

      // The operator pins direct_fit for every buyer (house scope): it wins.
      const pinned = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: {
          operatorDomain: null,
          brandDomain: null,
          discountPercent: null,
          notes: null,
          countries: null,
          posture: 'direct_fit',
        },
      });
      expect(pinned.status, pinned.text).toBe(201);
      expect(pinned.body.data.posture).toBe('direct_fit');
      const fitted = await ask();
      expect((fitted.products as Product[]).length).toBe(5);
    } finally {
      await agent.close();
    }

    const a = await runsOf(sf.seller.key, 8);
    const [pinnedRun, pagedRun, guidedRun] = a.runs;
    expect(guidedRun).toMatchObject({
      selectedPosture: 'price_first',
      recommendedPosture: 'price_first',
    });
    expect(pagedRun).toMatchObject({ selectedPosture: 'price_first' });
    expect(pinnedRun).toMatchObject({
      selectedPosture: 'direct_fit',
      recommendedPosture: 'price_first',
      postureRationale: expect.stringContaining('buyer instructions'),
    });
    expect(a.postureConversion.adherence).toMatchObject({
      comparableRunCount: 3,
      followedCount: 2,
    });
  });
});
