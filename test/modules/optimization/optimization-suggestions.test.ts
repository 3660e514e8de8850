import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { sellerBuys } from '../../support/seller-records.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sf: { id: number; platformId: string };

beforeAll(async () => {
  h = await createHarness();
  demo = await startSeller('mcp');
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  // The storefront's first answer is slow (its agent's first build): warmed here, as a buyer's
  // first discovery on a loaded machine would show it timed out.
  const warm = await buyerWithAdvertiser(h, 'warm-opt.example');
  await discover(h, warm.buyer.key, {
    advertiserId: Number(warm.advertiserId),
    brief: 'Outdoor display for a spring launch',
    storefrontIds: [sf.id],
  });
  // The apply job runs on the real queue (the sweep is called directly: its schedule is hourly).
  await h.services.jobs.start();
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await h?.close();
});

/** Purchases at $20 each first: weighed by cost per acquisition. */
const performanceConfig = {
  optimizationGoals: [
    {
      kind: 'event',
      eventSources: [{ eventSourceId: 'site_pixel', eventType: 'purchase' }],
      target: { kind: 'cost_per', value: 20 },
      priority: 1,
    },
  ],
};

const suggestions = (key: string, query: string) =>
  h.call('GET', `/api/v2/buyer/optimization-suggestions?${query}`, { key });

/**
 * A buyer's campaign with goals over two of the demo seller's products (10,000 each), under way
 * since yesterday and executed: one media buy with two packages at the seller.
 */
async function twoPackageBuy(brand: string, applyMode?: 'AUTO') {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h, brand);
  if (applyMode) {
    const put = await h.call('PUT', `/api/v2/buyer/advertisers/${advertiserId}`, {
      key: buyer.key,
      body: { optimizationApplyMode: applyMode },
    });
    expect(put.status, put.text).toBe(200);
  }
  const found = await discover(h, buyer.key, {
    advertiserId: Number(advertiserId),
    brief: 'Outdoor display for a spring launch',
    storefrontIds: [sf.id],
  });
  expect(found.status, found.text).toBe(200);
  const page = found.body.data;
  const picks = productsOf(page, sf.platformId)
    .filter((p: Json) => p.pricingOptions[0]?.min_spend_per_package === undefined)
    .slice(0, 2);
  expect(picks, JSON.stringify(page.agentResults)).toHaveLength(2);
  const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
    key: buyer.key,
    body: { products: picks.map((p: Json) => selectionOf(p, 10_000)) },
  });
  expect(selected.status, selected.text).toBe(200);
  const created = await h.call('POST', '/api/v2/buyer/campaigns', {
    key: buyer.key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'Optimised',
      flightDates: {
        startDate: new Date(Date.now() - 86_400_000).toISOString(),
        endDate: new Date(Date.now() + 29 * 86_400_000).toISOString(),
      },
      budget: { total: 20_000, currency: 'USD' },
      discoveryId: page.discoveryId,
      performanceConfig,
    },
  });
  expect(created.status, created.text).toBe(201);
  const campaignId = created.body.data.campaign.campaignId as string;
  const creates = demo.toolCalls().filter((c) => c.tool === 'create_media_buy').length;
  const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
    key: buyer.key,
    body: {},
  });
  expect(executed.status, executed.text).toBe(200);
  expect(executed.body.data.errors).toEqual([]);
  const account = demo.toolCalls().filter((c) => c.tool === 'create_media_buy')[creates]!.args[
    'account'
  ];
  const detail = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}`, { key: buyer.key });
  const [buy] = detail.body.data.campaign.mediaBuys as Json[];
  expect(buy).toMatchObject({ status: 'ACTIVE' });
  expect(buy.packages).toHaveLength(2);
  return { buyer, campaignId, buy, account };
}

/**
 * What the seller reported so far (a delivery notification, recorded as an import would):
 * both packages spent 1,000; the first drove 100 purchases (CPA 10), the second 20 (CPA 50).
 */
async function reportConversions(buy: Json) {
  const today = new Date().toISOString().slice(0, 10);
  const figures = [
    { package_id: buy.packages[0].packageId, spend: 1000, impressions: 100_000, conversions: 100 },
    { package_id: buy.packages[1].packageId, spend: 1000, impressions: 100_000, conversions: 20 },
  ];
  const recorded = await h.services.delivery.applyDeliveryReport(buy.mediaBuyId, {
    reporting_period: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
    currency: 'USD',
    media_buy_deliveries: [
      {
        media_buy_id: buy.sellerMediaBuyId,
        status: 'active',
        totals: { spend: 2000, impressions: 200_000 },
        by_package: figures,
      },
    ],
  });
  expect(recorded).toBeGreaterThan(0);
}

/** The seller's own budgets of the buy's packages (its get_media_buys), by its package id. */
async function sellerBudgets(account: Json) {
  const [held] = await sellerBuys(demo.url, account);
  return Object.fromEntries(
    (held.packages as Json[]).map((p) => [`demo__${p.package_id}`, p.budget]),
  );
}

/** The update_media_buy calls the seller received under the buyer's account there. */
const updatesOf = (account: Json) =>
  demo
    .toolCalls()
    .filter(
      (c) =>
        c.tool === 'update_media_buy' &&
        JSON.stringify(c.args['account']) === JSON.stringify(account),
    );

describe('optimization suggestions', () => {
  it('MANUAL: a suggestion names both packages, waits for approval, and approving it changes the seller’s budgets once', async () => {
    const { buyer, campaignId, buy, account } = await twoPackageBuy('manual-opt.example');
    const [better, worse] = [buy.packages[0].packageId, buy.packages[1].packageId];
    // No delivery yet: nothing to weigh.
    await h.services.optimization.sweep();
    expect((await suggestions(buyer.key, `campaignId=${campaignId}`)).body.data).toEqual({
      suggestions: [],
      totalCount: 0,
      hasMore: false,
    });

    await reportConversions(buy);
    await h.services.optimization.sweep();
    // A second sweep over the same budgets suggests nothing new.
    await h.services.optimization.sweep();
    const listed = await suggestions(buyer.key, `campaignId=${campaignId}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data.totalCount).toBe(1);
    const [item] = listed.body.data.suggestions as Json[];
    expect(item).toMatchObject({
      campaignId,
      mediaBuyId: buy.mediaBuyId,
      optimizationMetric: 'cpa',
      status: 'HIL_WAITING',
      productAdjustmentCount: 2,
      bidAdjustmentCount: 0,
    });

    const detail = await h.call(
      'GET',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`,
      { key: buyer.key },
    );
    expect(detail.status, detail.text).toBe(200);
    const suggestion = detail.body.data;
    // A quarter of the worse package's budget moves to the better one; the total stays.
    expect(suggestion.budgetAdjustments).toEqual([
      expect.objectContaining({
        packageId: better,
        currentBudget: 10_000,
        proposedBudget: 12_500,
        metricValue: 10,
      }),
      expect.objectContaining({
        packageId: worse,
        currentBudget: 10_000,
        proposedBudget: 7_500,
        metricValue: 50,
      }),
    ]);
    expect(suggestion.mediaBuyScalingRationale).toContain(better);
    expect(suggestion.mediaBuyScalingRationale).toContain(worse);
    expect(suggestion.pacingRecommendation).toMatchObject({ status: expect.any(String) });
    expect(suggestion).toMatchObject({ applyMode: 'MANUAL', status: 'HIL_WAITING' });

    // Nothing reaches the seller before the buyer approves.
    expect(updatesOf(account)).toHaveLength(0);
    expect(await sellerBudgets(account)).toEqual({ [better]: 10_000, [worse]: 10_000 });

    const approved = await h.call(
      'POST',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}/approve`,
      { key: buyer.key },
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.data).toEqual({ suggestionId: item.suggestionId, status: 'HIL_APPROVED' });
    const applied = await eventually(
      async () =>
        (
          await h.call('GET', `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`, {
            key: buyer.key,
          })
        ).body.data,
      (s) => s.status !== 'HIL_APPROVED',
      30_000,
    );
    expect(applied).toMatchObject({ status: 'APPLIED', statusError: null });
    // The seller's own record holds the new budgets; ours says the same.
    expect(await sellerBudgets(account)).toEqual({ [better]: 12_500, [worse]: 7_500 });
    const packages = await h.call('GET', `/api/v2/buyer/media-buys/${buy.mediaBuyId}/packages`, {
      key: buyer.key,
    });
    expect(packages.body.data.packages.map((p: Json) => p.budget)).toEqual([12_500, 7_500]);
    expect(updatesOf(account)).toHaveLength(1);
    // The buy's budgets just changed: no new suggestion until a day after it was applied.
    await h.services.optimization.sweep();
    expect((await suggestions(buyer.key, `campaignId=${campaignId}`)).body.data.totalCount).toBe(1);

    // Approving again answers as it stands and sends nothing; rejecting it now is refused.
    const again = await h.call(
      'POST',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}/approve`,
      { key: buyer.key },
    );
    expect(again.body.data).toEqual({ suggestionId: item.suggestionId, status: 'APPLIED' });
    const late = await h.call(
      'POST',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}/reject`,
      { key: buyer.key, body: {} },
    );
    expect(late.status, late.text).toBe(409);
    expect(updatesOf(account)).toHaveLength(1);
  });

  it('MANUAL: a rejected suggestion changes nothing and is not suggested again from the same budgets', async () => {
    const { buyer, campaignId, buy, account } = await twoPackageBuy('reject-opt.example');
    await reportConversions(buy);
    await h.services.optimization.sweep();
    // Listed and rejected through MCP api_call as through REST.
    const agent = await mcpClient(await listen(h), 'buyer', buyer.key);
    let item: Json;
    try {
      const listed = await agent.call('api_call', {
        method: 'GET',
        path: '/api/v2/buyer/optimization-suggestions',
        query: { mediaBuyId: buy.mediaBuyId },
      });
      expect(listed.status, JSON.stringify(listed)).toBe(200);
      [item] = listed.data.suggestions as Json[];
      const rejected = await agent.call('api_call', {
        method: 'POST',
        path: `/api/v2/buyer/optimization-suggestions/${item.suggestionId}/reject`,
        body: { reason: 'Brand safety review first' },
      });
      expect(rejected.status, JSON.stringify(rejected)).toBe(200);
      expect(rejected.data.status).toBe('HIL_REJECTED');
    } finally {
      await agent.close();
    }
    await h.services.optimization.sweep();
    const after = await suggestions(buyer.key, `campaignId=${campaignId}`);
    expect(after.body.data.suggestions.map((s: Json) => s.status)).toEqual(['HIL_REJECTED']);
    const read = await h.call(
      'GET',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`,
      {
        key: buyer.key,
      },
    );
    expect(read.body.data.statusReason).toBe('Brand safety review first');
    const approve = await h.call(
      'POST',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}/approve`,
      { key: buyer.key },
    );
    expect(approve.status, approve.text).toBe(409);
    expect(updatesOf(account)).toHaveLength(0);
    const held = await sellerBuys(demo.url, account);
    expect((held[0].packages as Json[]).map((p) => p.budget)).toEqual([10_000, 10_000]);
  });

  it('AUTO: the suggestion is applied by the job once, and a retry after the change reached the seller sends nothing', async () => {
    const { buyer, buy, account } = await twoPackageBuy('auto-opt.example', 'AUTO');
    await reportConversions(buy);
    await h.services.optimization.sweep();
    const [item] = (await suggestions(buyer.key, `mediaBuyId=${buy.mediaBuyId}`)).body.data
      .suggestions as Json[];
    const applied = await eventually(
      async () =>
        (
          await h.call('GET', `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`, {
            key: buyer.key,
          })
        ).body.data,
      (s) => s.status === 'APPLIED' || s.status === 'APPLIED_FAIL',
      30_000,
    );
    expect(applied).toMatchObject({ status: 'APPLIED', applyMode: 'AUTO' });
    const [better, worse] = [buy.packages[0].packageId, buy.packages[1].packageId];
    expect(await sellerBudgets(account)).toEqual({ [better]: 12_500, [worse]: 7_500 });
    expect(updatesOf(account)).toHaveLength(1);

    // A run that died after the seller took the change, before recording APPLIED: its retry
    // finds the buy's budgets already changed and sends nothing.
    await h.database.queryable.query(
      `update optimization_suggestions set status = 'INGESTED' where id = $1`,
      [item.suggestionId],
    );
    await h.services.optimization.apply(item.suggestionId, false);
    const retried = await h.call(
      'GET',
      `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`,
      { key: buyer.key },
    );
    expect(retried.body.data.status).toBe('APPLIED');
    expect(updatesOf(account)).toHaveLength(1);
    expect(await sellerBudgets(account)).toEqual({ [better]: 12_500, [worse]: 7_500 });
  });

  it("another customer's suggestion, campaign or media buy answers NOT_FOUND", async () => {
    const { buyer, campaignId, buy } = await twoPackageBuy('owner-opt.example');
    await reportConversions(buy);
    await h.services.optimization.sweep();
    const [item] = (await suggestions(buyer.key, `campaignId=${campaignId}`)).body.data
      .suggestions as Json[];
    const other = await createCustomer(h, { role: 'BUYER' });
    const url = `/api/v2/buyer/optimization-suggestions/${item.suggestionId}`;
    for (const [method, path, body] of [
      ['GET', url, undefined],
      ['POST', `${url}/approve`, undefined],
      ['POST', `${url}/reject`, {}],
      ['GET', `/api/v2/buyer/optimization-suggestions?campaignId=${campaignId}`, undefined],
      ['GET', `/api/v2/buyer/optimization-suggestions?mediaBuyId=${buy.mediaBuyId}`, undefined],
    ] as const) {
      const res = await h.call(method, path, { key: other.key, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await suggestions(other.key, '')).body.data.totalCount).toBe(0);
    // The owner's suggestion is untouched.
    const mine = await h.call('GET', url, { key: buyer.key });
    expect(mine.body.data.status).toBe('HIL_WAITING');
    // A malformed id or status is a 400 naming the field.
    const bad = await h.call('GET', '/api/v2/buyer/optimization-suggestions?status=DONE', {
      key: buyer.key,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('status');
  });
});
