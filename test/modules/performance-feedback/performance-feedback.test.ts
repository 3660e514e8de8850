import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
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
  // The demo seller does not implement provide_performance_feedback: the fixture records each
  // call it receives and answers success, as a seller taking feedback would.
  demo.answerInstead!('provide_performance_feedback', { data: { success: true } });
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  const warm = await buyerWithAdvertiser(h, 'warm-feedback.example');
  await discover(h, warm.buyer.key, {
    advertiserId: Number(warm.advertiserId),
    brief: 'Outdoor display for a spring launch',
    storefrontIds: [sf.id],
  });
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await h?.close();
});

/** Purchases at $20 each. */
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

const dayMs = 86_400_000;
const todayStart = new Date(Math.floor(Date.now() / dayMs) * dayMs);
const tomorrowStart = new Date(todayStart.getTime() + dayMs);

/** A buyer's campaign with an event goal, booked and executed at the demo seller. */
async function bookedBuy(brand: string) {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h, brand);
  const found = await discover(h, buyer.key, {
    advertiserId: Number(advertiserId),
    brief: 'Outdoor display for a spring launch',
    storefrontIds: [sf.id],
  });
  expect(found.status, found.text).toBe(200);
  const page = found.body.data;
  const [pick] = productsOf(page, sf.platformId).filter(
    (p: Json) => p.pricingOptions[0]?.min_spend_per_package === undefined,
  );
  const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
    key: buyer.key,
    body: { products: [selectionOf(pick, 10_000)] },
  });
  expect(selected.status, selected.text).toBe(200);
  const created = await h.call('POST', '/api/v2/buyer/campaigns', {
    key: buyer.key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'Measured',
      flightDates: {
        startDate: new Date(Date.now() - dayMs).toISOString(),
        endDate: new Date(Date.now() + 29 * dayMs).toISOString(),
      },
      budget: { total: 10_000, currency: 'USD' },
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
  const account = demo.toolCalls().filter((c) => c.tool === 'create_media_buy')[creates]!.args[
    'account'
  ];
  const detail = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}`, { key: buyer.key });
  const [buy] = detail.body.data.campaign.mediaBuys as Json[];
  const [held] = await sellerBuys(demo.url, account);
  return { buyer, advertiserId, buy, sellerId: held.media_buy_id as string };
}

/** `count` purchases (and one add_to_cart, which the goal does not count) logged today. */
async function logPurchases(key: string, advertiserId: string, prefix: string, count: number) {
  const base = `/api/v2/buyer/advertisers/${advertiserId}`;
  const synced = await h.call('POST', `${base}/event-sources/sync`, {
    key,
    body: { event_sources: [{ event_source_id: 'site_pixel', name: 'Site pixel' }] },
  });
  expect(synced.status, synced.text).toBe(200);
  const at = new Date(Math.max(todayStart.getTime() + 1000, Date.now() - 1000)).toISOString();
  const events = Array.from({ length: count }, (_, i) => ({
    event_id: `${prefix}-${i}`,
    event_type: 'purchase',
    event_time: at,
  }));
  events.push({ event_id: `${prefix}-cart`, event_type: 'add_to_cart', event_time: at });
  const logged = await h.call('POST', `${base}/log-event`, {
    key,
    body: { event_source_id: 'site_pixel', events },
  });
  expect(logged.status, logged.text).toBe(200);
}

/** The seller reports the buy spent `spend` today. */
async function reportSpend(buy: Json, spend: number) {
  const today = todayStart.toISOString().slice(0, 10);
  const recorded = await h.services.delivery.applyDeliveryReport(buy.mediaBuyId, {
    reporting_period: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
    currency: 'USD',
    media_buy_deliveries: [
      {
        media_buy_id: buy.sellerMediaBuyId,
        status: 'active',
        totals: { spend, impressions: 100_000 },
        by_package: [{ package_id: buy.packages[0].packageId, spend, impressions: 100_000 }],
      },
    ],
  });
  expect(recorded).toBeGreaterThan(0);
}

const feedbackCalls = (sellerId: string) =>
  demo
    .toolCalls()
    .filter(
      (c) => c.tool === 'provide_performance_feedback' && c.args['media_buy_id'] === sellerId,
    );

describe('performance feedback from logged conversions', () => {
  it('sends the day’s feedback to the seller once, from the buyer’s own conversions only', async () => {
    const mine = await bookedBuy('feedback-mine.example');
    const other = await bookedBuy('feedback-other.example');
    // The day before yesterday is before the flight: nothing is recorded (the records below).
    await h.services.performanceFeedback.sweep(new Date(todayStart.getTime() - dayMs));
    // Yesterday (the buy's first day) had no spend: nothing is sent, and the record says why.
    await h.services.performanceFeedback.sweep(todayStart);
    expect(feedbackCalls(mine.sellerId)).toHaveLength(0);

    // Today: 1,000 spent and 40 purchases at $20 a purchase target: CPA 25, index 20/25 = 0.8.
    await reportSpend(mine.buy, 1000);
    await logPurchases(mine.buyer.key, mine.advertiserId, 'mine', 40);
    // Another buyer's 200 purchases under the same pixel name count only for its own buy.
    await logPurchases(other.buyer.key, other.advertiserId, 'other', 200);
    const sent = await h.services.performanceFeedback.sweep(tomorrowStart);
    expect(sent).toBe(1);
    const [call] = feedbackCalls(mine.sellerId);
    expect(call?.args).toMatchObject({
      media_buy_id: mine.sellerId,
      performance_index: 0.8,
      measurement_period: {
        start: todayStart.toISOString(),
        end: tomorrowStart.toISOString(),
      },
      metric_type: 'cost_efficiency',
      feedback_source: 'buyer_attribution',
    });
    // The other buyer's buy had no spend today: skipped, nothing sent.
    expect(feedbackCalls(other.sellerId)).toHaveLength(0);

    // A second run over the same day sends nothing more.
    expect(await h.services.performanceFeedback.sweep(tomorrowStart)).toBe(0);
    expect(feedbackCalls(mine.sellerId)).toHaveLength(1);

    const records = await h.services.performanceFeedback.recorded(
      mine.buyer.id,
      mine.buy.mediaBuyId,
    );
    expect(records.map((r) => [r.status, r.reason])).toEqual([
      ['SKIPPED', 'The seller reported no spend for the period'],
      ['SENT', null],
    ]);
    expect(records[1]).toMatchObject({ conversions: 40, spend: 1000, performanceIndex: 0.8 });
    const theirs = await h.services.performanceFeedback.recorded(
      other.buyer.id,
      other.buy.mediaBuyId,
    );
    expect(theirs.map((r) => r.status)).toEqual(['SKIPPED', 'SKIPPED']);

    // A run that died after the call, before recording SENT: the next sweep resends the
    // request first recorded, under the same idempotency key, and the seller receives it once
    // (the storefront agent answers the replayed key from its record).
    await h.database.queryable.query(
      `update performance_feedback set status = 'SENDING' where media_buy_id = $1 and status = 'SENT'`,
      [mine.buy.mediaBuyId],
    );
    expect(await h.services.performanceFeedback.sweep(tomorrowStart)).toBe(1);
    expect(await h.services.performanceFeedback.sweep(tomorrowStart)).toBe(0);
    expect(feedbackCalls(mine.sellerId)).toHaveLength(1);
  });
});
