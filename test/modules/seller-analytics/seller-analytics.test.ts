import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscoveryRunsService } from '../../../src/modules/discovery-runs/index.js';
import { createSellerAnalyticsService } from '../../../src/modules/seller-analytics/index.js';
import { createUrlSigner } from '../../../src/platform/signed-urls.js';
import type { SubmittedBuy } from '../../../src/modules/orders/index.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * A hand-computed fixture (docs/seller-analytics.md walks through the same numbers): six runs
 * of one storefront in January and February 2026, four media buys and their outcome events,
 * and a second storefront that must stay invisible.
 */
let h: Harness;
let seller: TestCustomer;
let other: TestCustomer;
let b1: TestCustomer;
let b2: TestCustomer;
const run: Record<string, number> = {};
let otherRun: number;
let storefrontId: number;

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const ok = [{ sourceId: 's1', ok: true, productCount: 2, latencyMs: 5 }];
const acme = { operatorDomain: 'agency.example', brandDomain: 'acme.example', country: 'US' };
const beta = { operatorDomain: 'media.example', brandDomain: 'beta.example', country: 'FR' };

async function storefrontOf(customer: TestCustomer): Promise<number> {
  const res = await h.call('GET', '/api/v2/storefront', { key: customer.key });
  return res.body.data.id;
}

async function buy(
  sf: number,
  buyer: number,
  mediaBuyId: string,
  payload: Record<string, unknown>,
  state: Record<string, unknown>,
  events: [string, Record<string, unknown>?][],
) {
  const row = await h.services.mediaBuys.createRecord({
    storefrontId: sf,
    buyerCustomerId: buyer,
    mediaBuyId,
    accountId: 'acc',
    idempotencyKey: `idem-${mediaBuyId}`,
    // A partial payload, and a push config that stored rows never carry: what must never show.
    submittedPayload: {
      ...payload,
      push_notification_config: { url: 'https://secret' },
    } as unknown as SubmittedBuy,
    approvalMode: 'auto',
    ...state,
  });
  for (const [name, detail] of events) {
    await h.services.mediaBuys.event(
      row,
      name as Parameters<typeof h.services.mediaBuys.event>[1],
      detail,
    );
  }
}

beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER' });
  other = await createCustomer(h, { role: 'SELLER' });
  b1 = await createCustomer(h, { role: 'BUYER', name: 'Agency One' });
  b2 = await createCustomer(h, { role: 'BUYER', name: 'Agency Two' });
  storefrontId = await storefrontOf(seller);
  const runs = createDiscoveryRunsService({ db: h.database.db });
  const base = { storefrontId, durationMs: 40, sourceOutcomes: ok };
  run['R1'] = await runs.record({
    ...base,
    ...acme,
    buyerCustomerId: b1.id,
    buyingMode: 'brief',
    brief: 'Spring fintech launch',
    productIds: ['p1', 'p2'],
    createdAt: at('2026-01-10'),
  });
  run['R2'] = await runs.record({
    ...base,
    ...acme,
    buyerCustomerId: b1.id,
    buyingMode: 'refine',
    refine: [
      { scope: 'request', ask: 'Too expensive, any discount?' },
      { scope: 'product', product_id: 'p1', ask: 'add 16:9' },
    ],
    productIds: ['p1', 'p3'],
    createdAt: at('2026-01-20'),
  });
  run['R3'] = await runs.record({
    ...base,
    ...beta,
    buyerCustomerId: b2.id,
    buyingMode: 'refine',
    refine: [{ scope: 'proposal', proposal_id: 'x', ask: 'Une offre groupée display et vidéo' }],
    productIds: ['p4'],
    createdAt: at('2026-02-05'),
  });
  run['R4'] = await runs.record({
    ...base,
    ...beta,
    buyerCustomerId: b2.id,
    buyingMode: 'wholesale',
    productIds: [],
    sourceOutcomes: [
      { sourceId: 's1', ok: false, productCount: 0, errorCode: 'TIMEOUT', latencyMs: 9 },
    ],
    createdAt: at('2026-02-06'),
  });
  run['R5'] = await runs.record({
    ...base,
    buyerCustomerId: null,
    productIds: ['p1'],
    createdAt: at('2026-02-07'),
  });
  run['R6'] = await runs.record({
    ...base,
    ...acme,
    buyerCustomerId: b1.id,
    buyingMode: 'brief',
    productIds: [],
    sourceOutcomes: [],
    createdAt: at('2026-02-08'),
  });
  const postures = h.services.sellerAnalytics;
  const record = (id: number, selected: string, recommended: string | null) =>
    postures.recordRunPosture({
      storefrontId,
      discoveryRunId: id,
      selectedPosture: selected as 'hold_value',
      recommendedPosture: recommended as 'hold_value' | null,
      rationale: `chose ${selected}`,
    });
  await record(run['R1']!, 'hold_value', 'hold_value');
  await record(run['R2']!, 'price_first', 'hold_value');
  await record(run['R3']!, 'direct_fit', null);
  await record(run['R4']!, 'direct_fit', 'direct_fit');

  const forwarded = {
    forwardOutcome: 'all_completed',
    forwardResult: [{ sourceId: 's1', status: 'completed', upstreamMediaBuyId: 'u1' }],
    forwardedAt: at('2026-02-10'),
  };
  await buy(
    storefrontId,
    b1.id,
    'MB1',
    {
      start_time: '2026-03-01T00:00:00Z',
      end_time: '2026-03-31T00:00:00Z',
      packages: [
        { product_id: 'p1', budget: 1000 },
        { product_id: 'p9', budget: 500 },
      ],
    },
    {
      approvalMode: 'manual',
      approvalStatus: 'approved',
      reviewedBy: 'ops@seller.example',
      reviewedAt: at('2026-02-09'),
      ...forwarded,
    },
    [
      ['media_buy_submitted_for_approval'],
      ['media_buy_forwarded'],
      ['delivery_reported', { impressions: 1000, spend: 10, currency: 'USD' }],
      ['delivery_reported', { impressions: 3000, spend: 30, currency: 'USD' }],
    ],
  );
  await buy(
    storefrontId,
    b1.id,
    'MB2',
    {
      total_budget: { amount: 2000, currency: 'EUR' },
      packages: [{ product_id: 'p2', budget: 999 }],
    },
    { approvalMode: 'manual', approvalStatus: 'rejected' },
    [['media_buy_submitted_for_approval'], ['media_buy_rejected']],
  );
  await buy(
    storefrontId,
    b2.id,
    'MB3',
    { packages: [{ product_id: 'p4', budget: 700 }] },
    forwarded,
    [
      ['media_buy_forwarded'],
      ['delivery_reported', { impressions: 500, spend: 5, currency: 'EUR' }],
    ],
  );
  await buy(
    storefrontId,
    b2.id,
    'MB4',
    { packages: [{ product_id: 'p1', budget: 100 }] },
    {
      // Approved by the operator, then refused by its source: the operator's to correct.
      approvalMode: 'manual',
      approvalStatus: 'approved',
      forwardOutcome: 'all_failed',
      forwardResult: [
        { sourceId: 's1', status: 'failed', error: { code: 'INVALID', message: 'bad' } },
      ],
    },
    [['media_buy_forward_failed']],
  );
  // A buyer's attempt its source refused at once: the buyer got the error, no buy exists.
  await buy(
    storefrontId,
    b2.id,
    'MB5',
    { packages: [{ product_id: 'p1', budget: 100 }] },
    {
      forwardOutcome: 'all_failed',
      forwardResult: [
        { sourceId: 's1', status: 'failed', error: { code: 'PRODUCT_UNAVAILABLE', message: 'no' } },
      ],
    },
    [['media_buy_forward_failed']],
  );

  const otherSf = await storefrontOf(other);
  otherRun = await runs.record({
    storefrontId: otherSf,
    ...acme,
    buyerCustomerId: b1.id,
    buyingMode: 'brief',
    productIds: ['p1'],
    sourceOutcomes: ok,
    durationMs: 10,
    createdAt: at('2026-01-15'),
  });
  await buy(otherSf, b1.id, 'OTHER1', { packages: [{ product_id: 'p1', budget: 50 }] }, forwarded, [
    ['media_buy_forwarded'],
  ]);
});
afterAll(() => h.close());

const analytics = async (key = seller.key, query = '') => {
  const res = await h.call('GET', `/api/v2/storefront/seller-analytics${query}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.body.data;
};

describe('GET /api/v2/storefront/seller-analytics — the hand-computed window', () => {
  it('describes the window and the run mix', async () => {
    const a = await analytics();
    expect(a.storefront).toMatchObject({ id: String(storefrontId), state: 'neutral' });
    expect(a.window).toEqual({
      requestedRunLimit: 100,
      runCount: 6,
      eligibleRunCount: 4,
      legacyRunCount: 0,
      firstRunAt: '2026-01-10T12:00:00.000Z',
      lastRunAt: '2026-02-08T12:00:00.000Z',
    });
    expect(a.summary).toEqual({
      totalRuns: 6,
      okRuns: 4,
      skippedRuns: 1,
      errorRuns: 1,
      briefRuns: 3,
      refineRuns: 2,
      wholesaleRuns: 1,
      totalShownProducts: 6,
      averageShownProducts: 1,
      priceObjectionCount: 1,
      packagingAskCount: 1,
      requestAskCount: 1,
      productAskCount: 1,
      proposalAskCount: 1,
      appliedRefinements: 0,
      partialRefinements: 0,
      unableRefinements: 0,
    });
    expect(a.topProducts).toEqual([
      { productId: 'p1', name: null, impressions: 3 },
      { productId: 'p2', name: null, impressions: 1 },
      { productId: 'p3', name: null, impressions: 1 },
      { productId: 'p4', name: null, impressions: 1 },
    ]);
  });

  it('totals attributed outcomes, budgets once per buy, and nulls mixed delivery currencies', async () => {
    const a = await analytics();
    expect(a.outcomes).toEqual({
      attributedRunCount: 3,
      eventCount: 8,
      submittedCount: 2,
      forwardedCount: 2,
      forwardFailedCount: 0, // MB4's products were never shown to its buyer: unattributed
      rejectedCount: 1,
      deliveryReportedCount: 3,
      bookedMediaBuyCount: 2,
      bookedBudget: 2200,
      deliveredImpressions: 3500, // MB1's latest cumulative report (3000), not 1000 + 3000
      deliveredSpend: 35,
      deliveredCurrency: null, // USD and EUR
    });
  });

  it('summarises historical performance over eligible runs', async () => {
    const a = await analytics();
    expect(a.historicalPerformance).toEqual({
      runCount: 4,
      bookedRunCount: 2,
      winRate: 0.5,
      askRunCount: 2,
      askToBookConversionRate: 1,
      priceObjectionConversionRate: 1,
      packagingAskConversionRate: 1,
      averageBookedBudget: 1100,
      averageProductsPerRun: 1.5,
      averageProductsPerBookedRun: 1.5,
      averageProductsPerUnbookedRun: 1.5,
      deliveryRate: 1.5,
      repeatBuyerCount: 1,
      recommendedPosture: null,
    });
    expect(a.strategySignals.map((s: { id: string }) => s.id)).toEqual(['limited_history']);
    expect(a.sellerRecommendations).toEqual([]);
  });

  it('gives each run its own attributed outcome (last touch takes MB1 from R1 to R2)', async () => {
    const a = await analytics();
    const byId = Object.fromEntries(a.runs.map((r: { id: string }) => [r.id, r]));
    expect(a.runs.map((r: { id: string }) => r.id)).toEqual(
      ['R6', 'R5', 'R4', 'R3', 'R2', 'R1'].map((k) => String(run[k])),
    );
    expect(byId[run['R2']!].outcome).toEqual({
      eventCount: 4,
      latestType: 'delivery_reported',
      latestStatus: 'delivering',
      mediaBuyId: 'MB1',
      submittedCount: 1,
      forwardedCount: 1,
      forwardFailedCount: 0,
      rejectedCount: 0,
      deliveryReportedCount: 2,
      bookedMediaBuyCount: 1,
      bookedBudget: 1500,
      deliveredImpressions: 3000,
      deliveredSpend: 30,
      deliveredCurrency: 'USD',
    });
    expect(byId[run['R1']!].outcome).toMatchObject({
      eventCount: 2,
      latestType: 'media_buy_rejected',
      latestStatus: 'rejected',
      mediaBuyId: 'MB2',
      bookedMediaBuyCount: 0,
      bookedBudget: null,
      deliveredCurrency: null,
    });
    expect(byId[run['R5']!].outcome).toMatchObject({
      eventCount: 0,
      latestType: null,
      latestStatus: null,
      mediaBuyId: null,
      bookedBudget: null,
    });
    expect(byId[run['R2']!]).toMatchObject({
      resultKind: 'ok',
      buyingMode: 'refine',
      selectedPosture: 'price_first',
      recommendedPosture: 'hold_value',
      postureRationale: 'chose price_first',
      attributionState: 'attributed',
      buyer: acme,
      shownProductCount: 2,
      requestAskCount: 1,
      productAskCount: 1,
      proposalAskCount: 0,
      hadPriceObjection: true,
      hadPackagingAsk: false,
    });
    expect(byId[run['R4']!]).toMatchObject({
      resultKind: 'error',
      resultCode: 'TIMEOUT',
      attributionState: 'unavailable',
    });
    expect(byId[run['R6']!]).toMatchObject({ resultKind: 'skipped', resultCode: 'no_sources' });
    expect(byId[run['R5']!].attributionState).toBe('unavailable');
  });

  it('rolls up by buyer identity', async () => {
    const a = await analytics();
    expect(a.buyers).toEqual([
      {
        ...acme,
        firstRunAt: '2026-01-10T12:00:00.000Z',
        lastRunAt: '2026-01-20T12:00:00.000Z',
        runCount: 2,
        bookedRunCount: 1,
        winRate: 0.5,
        askRunCount: 1,
        askToBookConversionRate: 1,
        attributedRunCount: 2,
        eventCount: 6,
        totalShownProducts: 4,
        averageShownProducts: 2,
        priceObjectionCount: 1,
        packagingAskCount: 0,
        requestAskCount: 1,
        productAskCount: 1,
        proposalAskCount: 0,
        bookedMediaBuyCount: 1,
        bookedBudget: 1500,
        averageBookedBudget: 1500,
        deliveredImpressions: 3000,
        deliveredSpend: 30,
        deliveredCurrency: 'USD',
        recommendedPosture: null,
      },
      {
        operatorDomain: null,
        brandDomain: null,
        country: null,
        firstRunAt: '2026-02-07T12:00:00.000Z',
        lastRunAt: '2026-02-07T12:00:00.000Z',
        runCount: 1,
        bookedRunCount: 0,
        winRate: 0,
        askRunCount: 0,
        askToBookConversionRate: null,
        attributedRunCount: 0,
        eventCount: 0,
        totalShownProducts: 1,
        averageShownProducts: 1,
        priceObjectionCount: 0,
        packagingAskCount: 0,
        requestAskCount: 0,
        productAskCount: 0,
        proposalAskCount: 0,
        bookedMediaBuyCount: 0,
        bookedBudget: 0,
        averageBookedBudget: null,
        deliveredImpressions: 0,
        deliveredSpend: 0,
        deliveredCurrency: null,
        recommendedPosture: null,
      },
      {
        ...beta,
        firstRunAt: '2026-02-05T12:00:00.000Z',
        lastRunAt: '2026-02-05T12:00:00.000Z',
        runCount: 1,
        bookedRunCount: 1,
        winRate: 1,
        askRunCount: 1,
        askToBookConversionRate: 1,
        attributedRunCount: 1,
        eventCount: 2,
        totalShownProducts: 1,
        averageShownProducts: 1,
        priceObjectionCount: 0,
        packagingAskCount: 1,
        requestAskCount: 0,
        productAskCount: 0,
        proposalAskCount: 1,
        bookedMediaBuyCount: 1,
        bookedBudget: 700,
        averageBookedBudget: 700,
        deliveredImpressions: 500,
        deliveredSpend: 5,
        deliveredCurrency: 'EUR',
        recommendedPosture: null,
      },
    ]);
  });

  it('buckets by UTC month', async () => {
    const a = await analytics();
    expect(a.seasonality).toEqual([
      {
        period: '2026-01',
        runCount: 2,
        bookedRunCount: 1,
        winRate: 0.5,
        askRunCount: 1,
        askToBookConversionRate: 1,
        priceObjectionCount: 1,
        packagingAskCount: 0,
        bookedBudget: 1500,
        averageBookedBudget: 1500,
        averageShownProducts: 2,
        recommendedPosture: null,
      },
      {
        period: '2026-02',
        runCount: 2,
        bookedRunCount: 1,
        winRate: 0.5,
        askRunCount: 1,
        askToBookConversionRate: 1,
        priceObjectionCount: 0,
        packagingAskCount: 1,
        bookedBudget: 700,
        averageBookedBudget: 700,
        averageShownProducts: 1,
        recommendedPosture: null,
      },
    ]);
  });

  it('converts by posture and compares followed with diverged runs', async () => {
    const a = await analytics();
    expect(a.postureConversion).toEqual({
      byPosture: [
        { posture: 'hold_value', runCount: 1, bookedRunCount: 0, winRate: 0, bookedBudget: 0 },
        { posture: 'direct_fit', runCount: 1, bookedRunCount: 1, winRate: 1, bookedBudget: 700 },
        {
          posture: 'price_first',
          runCount: 1,
          bookedRunCount: 1,
          winRate: 1,
          bookedBudget: 1500,
        },
      ],
      // R1 followed (not booked), R2 diverged (booked); R3 had no recommendation; R4 errored.
      adherence: {
        comparableRunCount: 2,
        followedCount: 1,
        followedWinRate: 0,
        divergedWinRate: 1,
      },
    });
    expect(a.learnedDefault).toBeNull();
  });

  it('narrows the window with ?limit', async () => {
    const a = await analytics(seller.key, '?limit=2');
    expect(a.window).toMatchObject({ requestedRunLimit: 2, runCount: 2, eligibleRunCount: 1 });
    // Only R6 (no products) and R5 (no buyer) remain: nothing can be attributed to them.
    expect(a.outcomes.eventCount).toBe(0);
  });

  it('answers nulls, not zeros, where there is nothing to divide by', async () => {
    const lonely = await createCustomer(h, { role: 'SELLER' });
    const empty = await analytics(lonely.key);
    expect(empty.window).toMatchObject({ runCount: 0, firstRunAt: null, lastRunAt: null });
    expect(empty.historicalPerformance).toMatchObject({
      runCount: 0,
      winRate: 0,
      askToBookConversionRate: null,
      priceObjectionConversionRate: null,
      packagingAskConversionRate: null,
      averageBookedBudget: null,
      averageProductsPerRun: 0,
      averageProductsPerBookedRun: null,
      averageProductsPerUnbookedRun: null,
      deliveryRate: null,
      recommendedPosture: null,
    });
    expect(empty.postureConversion.adherence).toEqual({
      comparableRunCount: 0,
      followedCount: 0,
      followedWinRate: null,
      divergedWinRate: null,
    });
    expect(empty.outcomes).toMatchObject({ bookedBudget: 0, deliveredCurrency: null });
    expect(empty.buyers).toEqual([]);
    expect(empty.seasonality).toEqual([]);
  });

  it('refuses a limit outside 1–200 with a 400', async () => {
    for (const q of ['?limit=0', '?limit=201', '?limit=abc']) {
      const res = await h.call('GET', `/api/v2/storefront/seller-analytics${q}`, {
        key: seller.key,
      });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('intelligence runs', () => {
  it('lists the storefront’s runs newest first with filters', async () => {
    const res = await h.call('GET', '/api/v2/storefront/intelligence-runs?take=2', {
      key: seller.key,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.total).toBe(6);
    expect(res.body.data.items.map((r: { id: string }) => r.id)).toEqual([
      String(run['R6']),
      String(run['R5']),
    ]);
    const refine = await h.call(
      'GET',
      '/api/v2/storefront/intelligence-runs?buyingMode=refine&disposition=responded',
      { key: seller.key },
    );
    expect(refine.body.data.items.map((r: { id: string }) => r.id)).toEqual([
      String(run['R3']),
      String(run['R2']),
    ]);
    const search = await h.call('GET', '/api/v2/storefront/intelligence-runs?q=FINTECH', {
      key: seller.key,
    });
    expect(search.body.data.items.map((r: { id: string }) => r.id)).toEqual([String(run['R1'])]);
  });

  it('filters by the commercial result of the latest attributed event', async () => {
    const ids = async (result: string) =>
      (
        await h.call('GET', `/api/v2/storefront/intelligence-runs?commercialResult=${result}`, {
          key: seller.key,
        })
      ).body.data.items.map((r: { id: string }) => r.id);
    expect(await ids('booked')).toEqual([String(run['R3']), String(run['R2'])]);
    expect(await ids('rejected')).toEqual([String(run['R1'])]);
    expect(await ids('pending')).toEqual([]);
    const bad = await h.call('GET', '/api/v2/storefront/intelligence-runs?commercialResult=lost', {
      key: seller.key,
    });
    expect(bad.status).toBe(400);
  });

  it('gets one run with its asks and last-touch outcome', async () => {
    const res = await h.call('GET', `/api/v2/storefront/intelligence-runs/${run['R1']}`, {
      key: seller.key,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      id: String(run['R1']),
      storefrontId: String(storefrontId),
      buyerCustomerId: b1.id,
      buyerScope: acme,
      brief: 'Spring fintech launch',
      composedProductIds: ['p1', 'p2'],
      result: { kind: 'ok' },
      // R2 also showed p1 later: MB1 belongs to R2, only MB2 stays with R1.
      commercialOutcome: { eventCount: 2, mediaBuyId: 'MB2', latestType: 'media_buy_rejected' },
    });
    const r2 = await h.call('GET', `/api/v2/storefront/intelligence-runs/${run['R2']}`, {
      key: seller.key,
    });
    expect(r2.body.data.requestAsks).toEqual(['Too expensive, any discount?']);
    expect(r2.body.data.commercialOutcome).toMatchObject({ eventCount: 4, bookedBudget: 1500 });
  });

  it('answers NOT_FOUND for another storefront’s run and an unknown id alike', async () => {
    for (const id of [otherRun, 999999999]) {
      const res = await h.call('GET', `/api/v2/storefront/intelligence-runs/${id}`, {
        key: seller.key,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('never shows another storefront’s runs or outcomes', async () => {
    const a = await analytics(other.key);
    expect(a.runs.map((r: { id: string }) => r.id)).toEqual([String(otherRun)]);
    expect(a.outcomes).toMatchObject({ eventCount: 1, bookedBudget: 50, forwardedCount: 1 });
    const list = await h.call('GET', '/api/v2/storefront/intelligence-runs', { key: other.key });
    expect(list.body.data.total).toBe(1);
  });
});

describe('the posture record the storefront agent keeps', () => {
  it('refuses to record a posture on another storefront’s run', async () => {
    const recorded = await h.services.sellerAnalytics.recordRunPosture({
      storefrontId,
      discoveryRunId: otherRun,
      selectedPosture: 'hold_value',
      recommendedPosture: null,
    });
    expect(recorded).toBe(false);
    const theirs = await analytics(other.key);
    expect(theirs.runs[0].selectedPosture).toBeNull();
  });

  it('recommends no posture while the history is too short', async () => {
    const decision = await h.services.sellerAnalytics.recommendPosture(storefrontId, acme);
    expect(decision).toMatchObject({ posture: null, rule: 'insufficient_history' });
  });
});

describe('the storefront’s media buys', () => {
  it('lists every buy with its seller status', async () => {
    const res = await h.call('GET', '/api/v2/storefront/media-buys', { key: seller.key });
    expect(res.status, res.text).toBe(200);
    const byId = Object.fromEntries(
      res.body.data.items.map((b: { mediaBuyId: string; status: string }) => [b.mediaBuyId, b]),
    );
    // MB5, a refused attempt, is no media buy.
    expect(Object.keys(byId).sort()).toEqual(['MB1', 'MB2', 'MB3', 'MB4']);
    expect(byId['MB1']).toMatchObject({
      status: 'delivering',
      forwardOutcome: 'all_completed',
      buyer: { customerId: b1.id, name: 'Agency One' },
      flightStart: '2026-03-01T00:00:00Z',
      sourceCount: 1,
    });
    expect(byId['MB2'].status).toBe('rejected');
    expect(byId['MB4']).toMatchObject({
      status: 'forward_failed',
      pendingReason: 'forward_failed_needs_correction',
      errorCode: 'INVALID',
      forwardOutcome: 'failed',
    });
    const failed = await h.call('GET', '/api/v2/storefront/media-buys?status=forward_failed', {
      key: seller.key,
    });
    expect(failed.body.data.items.map((b: { mediaBuyId: string }) => b.mediaBuyId)).toEqual([
      'MB4',
    ]);
    const ofB2 = await h.call('GET', `/api/v2/storefront/media-buys?buyerCustomerId=${b2.id}`, {
      key: seller.key,
    });
    expect(ofB2.body.data.total).toBe(2);
  });

  it('shows one buy’s timeline without the buyer’s push config', async () => {
    const res = await h.call('GET', '/api/v2/storefront/media-buys/MB1/timeline', {
      key: seller.key,
    });
    expect(res.status, res.text).toBe(200);
    const t = res.body.data;
    expect(t.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'received',
      'screened',
      'decided',
      'forwarded',
      'delivering',
    ]);
    expect(t.stages.at(-1).evidence).toHaveLength(2);
    expect(t.approval).toMatchObject({ status: 'approved', reviewedBy: 'ops@seller.example' });
    expect(t.approval.submittedPayload).not.toHaveProperty('push_notification_config');
    expect(t.legs[0]).toMatchObject({
      sourceId: 's1',
      theirReference: { mediaBuyId: 'u1' },
      platformReference: { idempotencyKey: 'idem-MB1' },
    });
    expect(res.text).not.toContain('https://secret');
  });

  it('answers NOT_FOUND for another storefront’s buy', async () => {
    const res = await h.call('GET', '/api/v2/storefront/media-buys/OTHER1/timeline', {
      key: seller.key,
    });
    expect(res.status).toBe(404);
    const list = await h.call('GET', '/api/v2/storefront/media-buys', { key: other.key });
    expect(list.body.data.items.map((b: { mediaBuyId: string }) => b.mediaBuyId)).toEqual([
      'OTHER1',
    ]);
  });
});

describe('storefront reporting', () => {
  it('reports delivery over the period from the cumulative reports', async () => {
    const res = await h.call('GET', '/api/v2/storefront/reporting/metrics', { key: seller.key });
    expect(res.status, res.text).toBe(200);
    const r = res.body.data;
    expect(r.totals).toMatchObject({ impressions: 3500, spend: 35, ecpm: 10 });
    expect(r.advertisers.map((a: { advertiserName: string }) => a.advertiserName).sort()).toEqual([
      'Agency One',
      'Agency Two',
    ]);
    const mb1 = r.advertisers
      .flatMap((a: { mediaBuys: { mediaBuyId: string }[] }) => a.mediaBuys)
      .find((m: { mediaBuyId: string }) => m.mediaBuyId === 'MB1');
    expect(mb1).toMatchObject({ budget: 1500, metrics: { impressions: 3000, spend: 30 } });
  });

  it('answers a timeseries by day and refuses inverted periods', async () => {
    const ts = await h.call('GET', '/api/v2/storefront/reporting/metrics?view=timeseries', {
      key: seller.key,
    });
    expect(ts.status, ts.text).toBe(200);
    expect(ts.body.data.totals.impressions).toBe(3500);
    expect(ts.body.data.timeseries).toHaveLength(2);
    const inverted = await h.call(
      'GET',
      '/api/v2/storefront/reporting/metrics?startDate=2026-02-02&endDate=2026-02-01',
      { key: seller.key },
    );
    expect(inverted.status).toBe(400);
  });

  it('downloads the timeseries as CSV through a signed, expiring link that opens no other storefront', async () => {
    const query = '/api/v2/storefront/reporting/metrics';
    const ts = (await h.call('GET', `${query}?view=timeseries`, { key: seller.key })).body.data;
    const download = await h.call('GET', `${query}?download=true`, { key: seller.key });
    expect(download.status, download.text).toBe(200);
    const { downloadUrl, expiresAt, fileName, rowCount } = download.body.data;
    expect(fileName).toBe(`storefront-reporting-${ts.periodStart}-${ts.periodEnd}.csv`);
    expect(rowCount).toBe(ts.timeseries.length);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // No API key: the signed URL is the credential.
    const url = new URL(downloadUrl);
    const path = url.pathname + url.search;
    const csv = await h.call('GET', path);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    const columns = (header as string).split(',');
    const rows = lines.map((line) =>
      Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])),
    );
    expect(rows).toEqual(
      ts.timeseries.map((r: { metrics: Record<string, number | null> } & Record<string, unknown>) =>
        expect.objectContaining({
          date: r['date'],
          mediaBuyId: r['mediaBuyId'],
          advertiserName: r['advertiserName'],
          impressions: String(r.metrics['impressions']),
          spend: String(r.metrics['spend']),
        }),
      ),
    );
    expect(rows.reduce((sum, r) => sum + Number(r['impressions']), 0)).toBe(3500);

    // The other storefront's link reads its own buys only, and cannot be turned into this one's.
    const theirs = await h.call('GET', `${query}?download=true`, { key: other.key });
    const theirUrl = new URL(theirs.body.data.downloadUrl);
    const theirPath = theirUrl.pathname + theirUrl.search;
    expect((await h.call('GET', theirPath)).text.trim().split('\r\n')).toHaveLength(1);
    const payload = JSON.parse(
      Buffer.from(/report=([^&]+)/.exec(theirPath)![1]!, 'base64url').toString(),
    );
    const forged = Buffer.from(JSON.stringify({ ...payload, storefrontId })).toString('base64url');
    for (const bad of [
      theirPath.replace(/report=[^&]+/, `report=${forged}`),
      path.replace(/expires=\d+/, 'expires=9999999999'),
      path.replace(/signature=[^&]+/, 'signature=AAAA'),
    ]) {
      const res = await h.call('GET', bad);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ACCESS_DENIED');
    }
    // Signed as the server signs, with an expiry already passed.
    const signer = createUrlSigner(h.secrets.derive('interchange storefront report links v1'));
    const unsigned = path.slice(0, path.indexOf('&expires='));
    expect((await h.call('GET', signer.sign(unsigned, new Date(Date.now() - 1000)))).status).toBe(
      403,
    );
    expect((await h.call('GET', signer.sign(unsigned, new Date(Date.now() + 60_000)))).status).toBe(
      200,
    );
  });

  it('reports nothing for a period before any delivery', async () => {
    const res = await h.call(
      'GET',
      '/api/v2/storefront/reporting/metrics?startDate=2020-01-01&endDate=2020-01-31',
      { key: seller.key },
    );
    expect(res.body.data).toMatchObject({ advertisers: [], totals: { impressions: 0 } });
  });
});

describe('the incremental rollup (events folded in SQL)', () => {
  it('answers exactly what live attribution answered, and keeps folding new events', async () => {
    const live = await analytics();
    const liveR1 = await h.call('GET', `/api/v2/storefront/intelligence-runs/${run['R1']}`, {
      key: seller.key,
    });
    const folding = createSellerAnalyticsService({
      db: h.database.db,
      storefronts: h.services.storefronts,
      settleMs: 0,
      reportDownloads: {
        signer: createUrlSigner(h.secrets.derive('interchange storefront report links v1')),
        publicUrl: () => 'http://127.0.0.1',
        ttlSeconds: 60,
      },
    });
    // Two folds at once (two instances): the watermark lock folds each event exactly once.
    const [x, y] = await Promise.all([
      folding.foldAll(storefrontId),
      folding.foldAll(storefrontId),
    ]);
    expect(x + y).toBe(10); // every event of the storefront (MB5’s refused attempt too)
    expect(await folding.foldAll(storefrontId)).toBe(0);
    const folded = await analytics();
    expect({ ...folded, generatedAt: null }).toEqual({ ...live, generatedAt: null });
    const foldedR1 = await h.call('GET', `/api/v2/storefront/intelligence-runs/${run['R1']}`, {
      key: seller.key,
    });
    expect(foldedR1.body.data).toEqual(liveR1.body.data);
    const booked = await h.call(
      'GET',
      '/api/v2/storefront/intelligence-runs?commercialResult=booked',
      {
        key: seller.key,
      },
    );
    expect(booked.body.data.items.map((r: { id: string }) => r.id)).toEqual([
      String(run['R3']),
      String(run['R2']),
    ]);

    // A new delivery report after the fold is attributed live, on top of the rollup.
    const row = { storefrontId, buyerCustomerId: b2.id, mediaBuyId: 'MB3', discoveryRunId: null };
    await h.services.mediaBuys.event(row, 'delivery_reported', {
      impressions: 900,
      spend: 9,
      currency: 'EUR',
    });
    const after = await analytics();
    expect(after.outcomes).toMatchObject({
      eventCount: 9,
      deliveryReportedCount: 4,
      deliveredImpressions: 3900,
    });
    expect(await folding.foldAll(storefrontId)).toBe(1);
    expect((await analytics()).outcomes).toEqual(after.outcomes);
  });
});
