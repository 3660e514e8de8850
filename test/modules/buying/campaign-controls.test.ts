import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkSeller } from '../../fixtures/sdk-seller.js';
import type { RunningSeller } from '../../fixtures/sellers.js';
import type { Harness } from '../../harness.js';
import { buyerWithAdvertiser, type Json } from './buying-support.js';
import {
  dayOf,
  flightDates,
  selectedOnBoth,
  startTwoSellers,
  threeWeighted,
  type TwoSellers,
} from './two-sellers.js';

let env: TwoSellers;
let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
let sf: TwoSellers['sf'];
beforeAll(async () => {
  env = await startTwoSellers();
  ({ h, demo, sdk, sf } = env);
}, 60_000);
afterAll(() => env?.close());

/** A buyer's discovery over both storefronts with one product of each selected. */
const selected = (budgets: [number, number]) => selectedOnBoth(env, budgets);

async function createCampaign(key: string, body: Record<string, unknown>) {
  return h.call('POST', '/api/v2/buyer/campaigns', {
    key,
    body: { name: 'Paced', flightDates, budget: { total: 40_000 }, ...body },
  });
}

/** The orders the example seller's own platform holds for the publisher's network. */
async function sdkOrders(): Promise<Json[]> {
  const lookup = await fetch(
    `${sdk.upstream.url}/_lookup/network?adcp_publisher=acmeoutdoor.example`,
  );
  const { network_code } = (await lookup.json()) as { network_code: string };
  const listed = await fetch(`${sdk.upstream.url}/v1/orders`, {
    headers: { authorization: `Bearer ${sdk.upstream.apiKey}`, 'x-network-code': network_code },
  });
  expect(listed.status).toBe(200);
  return ((await listed.json()) as { orders: Json[] }).orders;
}

describe('pacing periods', () => {
  it('books three weighted periods as one package per product per period across two storefronts, summing exactly', async () => {
    const { buyer, advertiserId, discoveryId } = await selected([9_999.99, 16_000]);
    const created = await createCampaign(buyer.key, {
      advertiserId: Number(advertiserId),
      discoveryId,
      budget: { total: 40_000, pacing: 'FRONTLOADED', dailyCap: 2_000 },
      pacingPeriods: threeWeighted,
    });
    expect(created.status, created.text).toBe(201);
    const campaign = created.body.data.campaign;
    expect(campaign.pacingPeriods.periods.map((p: Json) => [p.label, p.weight, p.budget])).toEqual([
      ['Launch', 1, 10_000],
      ['Heavy-up', 2, 20_000],
      ['Tail', 1, 10_000],
    ]);
    expect(campaign.budget).toMatchObject({ pacing: 'FRONTLOADED', dailyCap: 2_000 });

    const before = demo.toolCalls().length;
    const ordersBefore = (await sdkOrders()).length;
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${campaign.campaignId}/execute`,
      {
        key: buyer.key,
        body: {},
      },
    );
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ success: true, mediaBuysExecuted: 2 });

    // What the demo seller received: three packages of its product, each with its period's
    // flight, front-loaded, their budgets summing exactly to the product's.
    const sent = demo
      .toolCalls()
      .slice(before)
      .find((c) => c.tool === 'create_media_buy');
    expect(sent).toBeDefined();
    const packages = sent!.args['packages'] as Json[];
    expect(packages.map((p) => p.budget)).toEqual([2500, 4999.99, 2500]);
    expect(Math.round(packages.reduce((s, p) => s + p.budget, 0) * 100)).toBe(999_999);
    expect(packages.map((p) => [p.start_time, p.end_time])).toEqual([
      [`${dayOf(0)}T00:00:00.000Z`, `${dayOf(10)}T00:00:00.000Z`],
      [`${dayOf(10)}T00:00:00.000Z`, `${dayOf(20)}T00:00:00.000Z`],
      [`${dayOf(20)}T00:00:00.000Z`, `${dayOf(30)}T00:00:00.000Z`],
    ]);
    expect(packages.every((p) => p.pacing === 'front_loaded')).toBe(true);

    // What the SDK's example seller holds: one order with a line item per period.
    const orders = await sdkOrders();
    expect(orders.length).toBe(ordersBefore + 1);
    const order = orders.at(-1)!;
    expect(order.line_items.map((li: Json) => li.budget)).toEqual([4000, 8000, 4000]);

    // The buyer sees each package's period.
    const buys = await h.call('GET', `/api/v2/buyer/campaigns/${campaign.campaignId}`, {
      key: buyer.key,
    });
    // One buy per storefront (the demo seller's and the SDK example's), each checked below.
    expect(buys.body.data.campaign.mediaBuys).toHaveLength(2);
    for (const buy of buys.body.data.campaign.mediaBuys) {
      const listed = await h.call('GET', `/api/v2/buyer/media-buys/${buy.mediaBuyId}/packages`, {
        key: buyer.key,
      });
      expect(listed.body.data.isPaced).toBe(true);
      expect(listed.body.data.packages.map((p: Json) => p.pacingPeriod)).toEqual([
        { index: 1, label: 'Launch' },
        { index: 2, label: 'Heavy-up' },
        { index: 3, label: 'Tail' },
      ]);
    }
  });

  it('changes periods only on DRAFT: appends return what moved, null removes them', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const created = await createCampaign(buyer.key, {
      advertiserId: Number(advertiserId),
      pacingPeriods: { mode: 'weight', periods: threeWeighted.periods.slice(0, 2) },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.campaign.campaignId;
    const appended = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { pacingPeriods: { mode: 'weight', periods: [threeWeighted.periods[2]] } },
    });
    expect(appended.status, appended.text).toBe(200);
    expect(appended.body.data.pacingCascadeResult).toMatchObject({
      appendedPeriods: 1,
      totalPeriods: 3,
      periods: [
        { label: 'Launch', previousBudget: 13_333.33, budget: 10_000, change: 'moved' },
        { label: 'Heavy-up', previousBudget: 26_666.67, budget: 20_000, change: 'moved' },
        { label: 'Tail', previousBudget: null, budget: 10_000, change: 'added' },
      ],
    });
    const overlapping = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { pacingPeriods: { mode: 'weight', periods: [threeWeighted.periods[0]] } },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.error.field).toBe('pacingPeriods');
    const shortened = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: {
        flightDates: { startDate: flightDates.startDate, endDate: `${dayOf(15)}T00:00:00.000Z` },
      },
    });
    expect(shortened.status).toBe(400);
    expect(shortened.body.error.field).toMatch(/^pacingPeriods\.periods\.\d+\.(start|end)$/);
    const removed = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { pacingPeriods: null },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.data.campaign.pacingPeriods).toBeUndefined();

    await h.database.queryable.query(`update campaigns set status = 'ACTIVE' where id = $1`, [id]);
    const live = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { pacingPeriods: threeWeighted },
    });
    expect(live.status).toBe(409);
    expect(live.body.error.field).toBe('pacingPeriods');
  });

  it('validates each new field with a 4xx naming it', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [
        {
          pacingPeriods: {
            mode: 'weight',
            periods: [{ label: 'x', start: dayOf(0), end: dayOf(3) }],
          },
        },
        'pacingPeriods.periods.0.weight',
      ],
      [{ pacingPeriods: { mode: 'even', periods: threeWeighted.periods } }, 'pacingPeriods.mode'],
      [
        {
          pacingPeriods: {
            mode: 'budget',
            periods: [{ label: 'x', start: dayOf(0), end: dayOf(3), budget: 50_000 }],
          },
        },
        'pacingPeriods',
      ],
      [
        {
          pacingPeriods: {
            mode: 'weight',
            periods: [{ label: 'x', start: '2020-01-01', end: dayOf(3), weight: 1 }],
          },
        },
        'pacingPeriods.periods.0.start',
      ],
      [{ budget: { total: 40_000, dailyCap: 0 } }, 'budget.dailyCap'],
      [{ budget: { total: 40_000, dailyCap: 100 } }, 'budget.dailyCap'],
      [{ budget: { total: 40_000, pacing: 'SLOW' } }, 'budget.pacing'],
    ];
    for (const [body, field] of cases) {
      const res = await createCampaign(buyer.key, { advertiserId: Number(advertiserId), ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toEqual(field);
    }
  });
});

/** The create_media_buy calls the demo seller received since `from`. */
const demoCreatesSince = (from: number) =>
  demo
    .toolCalls()
    .slice(from)
    .filter((c) => c.tool === 'create_media_buy');

describe('frequency caps', () => {
  it('flow down from the advertiser into every package’s targeting overlay, beside three weighted periods across two storefronts', async () => {
    const { buyer, advertiserId, discoveryId } = await selected([12_000, 16_000]);
    const caps = await h.call('PUT', `/api/v2/buyer/advertisers/${advertiserId}`, {
      key: buyer.key,
      body: {
        frequencyCaps: [
          { max_impressions: 10, window: { interval: 7, unit: 'days' } },
          { max_impressions: 3, window: { interval: 1, unit: 'days' } },
        ],
      },
    });
    expect(caps.status, caps.text).toBe(200);
    const created = await createCampaign(buyer.key, {
      advertiserId: Number(advertiserId),
      discoveryId,
      pacingPeriods: threeWeighted,
    });
    expect(created.status, created.text).toBe(201);
    const campaign = created.body.data.campaign;
    expect(campaign.frequencyCaps.map((c: Json) => [c.max_impressions, c.targetLevel])).toEqual([
      [10, 'ADVERTISER'],
      [3, 'ADVERTISER'],
    ]);
    const before = demo.toolCalls().length;
    const ordersBefore = (await sdkOrders()).length;
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${campaign.campaignId}/execute`,
      {
        key: buyer.key,
        body: {},
      },
    );
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ success: true, mediaBuysExecuted: 2 });
    // AdCP carries one cap per package: the one allowing the fewest impressions per unit of
    // time went (10 a week is under 3 a day on average), the other is named.
    expect(executed.body.data.warnings).toEqual([
      expect.objectContaining({
        type: 'frequency_caps_left_out',
        hint: expect.stringContaining('10 per 7 days was sent, 3 per 1 days was not'),
      }),
    ]);
    const [sent] = demoCreatesSince(before);
    const packages = sent!.args['packages'] as Json[];
    expect(packages).toHaveLength(3);
    for (const p of packages) {
      expect(p.targeting_overlay.frequency_cap).toEqual({
        max_impressions: 10,
        per: 'individuals',
        window: { interval: 7, unit: 'days' },
      });
    }
    expect((await sdkOrders()).length).toBe(ordersBefore + 1);
  });

  it('on the campaign replace the advertiser’s ([] clears them); a seller refusing one is named and the buy goes on without it', async () => {
    const { buyer, advertiserId, discoveryId } = await selected([12_000, 16_000]);
    await h.call('PUT', `/api/v2/buyer/advertisers/${advertiserId}`, {
      key: buyer.key,
      body: { frequencyCaps: [{ max_impressions: 3, window: { interval: 1, unit: 'days' } }] },
    });
    const created = await createCampaign(buyer.key, {
      advertiserId: Number(advertiserId),
      discoveryId,
      frequencyCaps: [{ max_impressions: 5, window: { interval: 1, unit: 'campaign' } }],
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.campaign.campaignId;
    expect(created.body.data.campaign.frequencyCaps).toEqual([
      expect.objectContaining({ max_impressions: 5, targetLevel: 'CAMPAIGN', targetId: id }),
    ]);
    const cleared = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { frequencyCaps: [] },
    });
    expect(cleared.body.data.campaign.frequencyCaps).toEqual([]);
    const restored = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { frequencyCaps: [{ max_impressions: 5, window: { interval: 12, unit: 'hours' } }] },
    });
    expect(restored.status).toBe(200);

    // The demo seller refuses the cap once, as a seller that does not support one would.
    demo.answerInstead!(
      'create_media_buy',
      {
        error: {
          code: 'UNSUPPORTED_FEATURE',
          message: 'targeting_overlay.frequency_cap is not supported by this seller',
        },
      },
      1,
    );
    const before = demo.toolCalls().length;
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${id}/execute`, {
      key: buyer.key,
      body: {},
    });
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ success: true, mediaBuysExecuted: 2 });
    expect(executed.body.data.warnings).toEqual([
      expect.objectContaining({
        type: 'frequency_cap_not_supported',
        hint: expect.stringContaining(`storefront-${sf.demo.platformId}`),
      }),
    ]);
    const [refused, booked] = demoCreatesSince(before);
    expect((refused!.args['packages'] as Json[])[0].targeting_overlay.frequency_cap).toEqual({
      max_impressions: 5,
      per: 'individuals',
      window: { interval: 12, unit: 'hours' },
    });
    expect(
      (booked!.args['packages'] as Json[])[0].targeting_overlay?.frequency_cap,
    ).toBeUndefined();
  });

  it('validates caps with a 400 naming the field', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    for (const [caps, field] of [
      [
        [{ max_impressions: 0, window: { interval: 1, unit: 'days' } }],
        'frequencyCaps.0.max_impressions',
      ],
      [
        [{ max_impressions: 3, window: { interval: 1, unit: 'weeks' } }],
        'frequencyCaps.0.window.unit',
      ],
    ] as const) {
      const res = await createCampaign(buyer.key, {
        advertiserId: Number(advertiserId),
        frequencyCaps: caps,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });
});
