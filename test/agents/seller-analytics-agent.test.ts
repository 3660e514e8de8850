import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Seller analytics over what a real AdCP buyer did through a storefront agent (MCP, real
 * sockets, a real AdCP seller behind it): discovery runs, a refine with a price objection, a
 * media buy and a delivery report, as the operator then reads them.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_SOURCE_BUDGET_MS: '4000' });
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

async function analyticsOnceRuns(key: string, runs: number) {
  // Discovery runs may be recorded off the response path: wait for them to land.
  const res = await eventually(
    () => h.call('GET', '/api/v2/storefront/seller-analytics', { key }),
    (r) => r.body.data?.window.runCount >= runs,
  );
  return res.body.data;
}

describe('seller analytics over a storefront agent', () => {
  it('attributes the buy and its delivery to the refine run that showed the product', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    let mediaBuyId: string;
    try {
      const first = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'CTV for a spring launch',
        brand: { domain: 'acme.example' },
      });
      expect(first.isError, JSON.stringify(first)).toBe(false);
      await analyticsOnceRuns(sf.seller.key, 1);
      const refined = await agent.call('get_products', {
        buying_mode: 'refine',
        brand: { domain: 'acme.example' },
        refine: [{ scope: 'request', ask: 'Too expensive: can you lower the CPM?' }],
      });
      expect(refined.isError, JSON.stringify(refined)).toBe(false);
      const product = (refined.products.length ? refined : first).products[0];
      await analyticsOnceRuns(sf.seller.key, 2);
      const created = await agent.call('create_media_buy', buyOf(product));
      expect(created.isError, JSON.stringify(created)).toBe(false);
      mediaBuyId = created.media_buy_id;
      const delivery = await agent.call('get_media_buy_delivery', { media_buy_ids: [mediaBuyId] });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
    } finally {
      await agent.close();
    }

    const a = await analyticsOnceRuns(sf.seller.key, 2);
    expect(a.summary).toMatchObject({
      totalRuns: 2,
      briefRuns: 1,
      refineRuns: 1,
      requestAskCount: 1,
      priceObjectionCount: 1,
    });
    const [latest, earliest] = a.runs;
    expect(earliest.outcome.eventCount).toBe(0); // the refine run is the last touch
    expect(latest).toMatchObject({
      buyingMode: 'refine',
      hadPriceObjection: true,
      attributionState: 'attributed',
      buyer: { brandDomain: 'acme.example' },
      outcome: {
        mediaBuyId,
        forwardedCount: 1,
        deliveryReportedCount: 1,
        bookedMediaBuyCount: 1,
        bookedBudget: 20_000,
        latestType: 'delivery_reported',
        deliveredCurrency: 'USD',
      },
    });
    expect(a.outcomes).toMatchObject({ bookedMediaBuyCount: 1, bookedBudget: 20_000 });
    expect(a.historicalPerformance).toMatchObject({
      runCount: 2,
      bookedRunCount: 1,
      winRate: 0.5,
      priceObjectionConversionRate: 1,
    });

    const timeline = await h.call('GET', `/api/v2/storefront/media-buys/${mediaBuyId}/timeline`, {
      key: sf.seller.key,
    });
    expect(timeline.status, timeline.text).toBe(200);
    expect(timeline.body.data.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'received',
      'forwarded',
      'delivering',
    ]);
    const run = await h.call('GET', `/api/v2/storefront/intelligence-runs/${latest.id}`, {
      key: sf.seller.key,
    });
    expect(run.body.data.requestAsks).toEqual(['Too expensive: can you lower the CPM?']);
  });
});
