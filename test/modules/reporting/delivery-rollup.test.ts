import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import type { Json } from '../buying/buying-support.js';
import {
  type BookedCampaign,
  bookedCampaign,
  recordDelivery,
  metrics,
} from './reporting-support.js';

/**
 * The summary reads whole blocks (thirds of months: days 1-10, 11-20, 21 to the end) from
 * delivery_rollup and only the edge days from delivery_daily. Whatever the window, it must
 * answer what summing the daily rows answers, to the cent; and every write of daily rows
 * (re-import, a currency change, concurrent imports) must leave each block equal to the sum of
 * its days.
 */
let h: Harness;
let seller: RunningSeller;
let booked: BookedCampaign;
let stranger: TestCustomer;
let usd: Json;
let eur: Json;

const first = '2025-11-20';
const last = '2026-03-10';
const q = (text: string, values: unknown[] = []) => h.database.queryable.query(text, values);

/** Daily rows written straight to delivery_daily: every day of [first, last], two packages. */
async function fillDays(buy: Json, customerId: number, packages: string[], currency: string) {
  await q(
    `insert into delivery_daily (customer_id, advertiser_id, campaign_id, media_buy_id,
       package_id, day, currency, impressions, clicks, views, completed_views, conversions,
       conversion_value, spend, reported_at)
     select $1, $2, $3, $4, p.id, d::date, $5, 1000 + (n * 37 + p.k * 11) % 5000, (n + p.k) % 40,
       n % 7, n % 5, (n * p.k) % 3, round(((n * 13 + p.k) % 997 * 0.37)::numeric, 2),
       round(((1000 + (n * 37 + p.k * 11) % 5000) * 0.0123)::numeric, 2), now()
     from generate_series($6::date, $7::date, interval '1 day') with ordinality g(d, n),
       unnest($8::text[]) with ordinality p(id, k)`,
    [
      customerId,
      Number(buy.advertiserId ?? booked.advertiserId),
      buy.campaignId ?? booked.campaignId,
      buy.mediaBuyId,
      currency,
      first,
      last,
      packages,
    ],
  );
}

/** The summary's packages and currency totals computed straight from the daily rows. */
async function fromDays(customerId: number, start: string, end: string, mediaBuyId?: string) {
  const buy = mediaBuyId === undefined ? '' : 'and media_buy_id = $4';
  const values = [customerId, start, end, ...(mediaBuyId === undefined ? [] : [mediaBuyId])];
  const sums = `sum(impressions)::float8 as impressions, sum(clicks)::float8 as clicks,
    sum(conversions)::float8 as conversions, sum(spend)::text as spend,
    sum(conversion_value)::text as conversion_value`;
  const packages = await q(
    `select media_buy_id, package_id, currency, ${sums} from delivery_daily
     where customer_id = $1 and day between $2 and $3 ${buy} group by 1, 2, 3 order by 1, 2, 3`,
    values,
  );
  const currencies = await q(
    `select currency, ${sums} from delivery_daily
     where customer_id = $1 and day between $2 and $3 ${buy} group by 1 order by 1`,
    values,
  );
  const cents = (v: unknown) => Math.round(Number(v) * 100);
  return {
    packages: packages.rows.map((r) => ({
      key: `${r['media_buy_id']}/${r['package_id']}/${r['currency']}`,
      impressions: Number(r['impressions']),
      clicks: Number(r['clicks']),
      conversions: Number(r['conversions']),
      spend: cents(r['spend']),
      conversionValue: cents(r['conversion_value']),
    })),
    byCurrency: currencies.rows.map((r) => ({
      currency: r['currency'],
      spend: cents(r['spend']),
      conversionValue: cents(r['conversion_value']),
    })),
  };
}

/** The same figures as the HTTP summary shows them. */
function fromSummary(data: Json) {
  const cents = (v: number) => Math.round(v * 100);
  const packages = (data.advertisers as Json[])
    .flatMap((a) => a.campaigns as Json[])
    .flatMap((c) => c.mediaBuys as Json[])
    .flatMap((b) =>
      (b.packages as Json[]).map((p) => {
        expect(p.byCurrency, 'one currency per package here').toHaveLength(1);
        return {
          key: `${b.mediaBuyId}/${p.packageId}/${p.currency}`,
          impressions: p.metrics.impressions,
          clicks: p.metrics.clicks,
          conversions: p.metrics.conversions,
          spend: cents(p.byCurrency[0].spend),
          conversionValue: cents(p.byCurrency[0].conversionValue),
        };
      }),
    )
    .sort((x, y) => (x.key < y.key ? -1 : 1));
  return {
    packages,
    byCurrency: (data.totalsByCurrency as Json[]).map((c) => ({
      currency: c.currency,
      spend: cents(c.spend),
      conversionValue: cents(c.conversionValue),
    })),
  };
}

/** Block rows that differ from the sum of their days (none when the rollup is right). */
async function rollupDrift(customerId: number) {
  const key =
    'customer_id, advertiser_id, campaign_id, media_buy_id, package_id, period_start, currency';
  const result = await q(
    `with days as (
       select customer_id, advertiser_id, campaign_id, media_buy_id, package_id,
         date_trunc('month', day::timestamp)::date + case when extract(day from day) <= 10 then 0
           when extract(day from day) <= 20 then 10 else 20 end as period_start,
         currency, count(*)::int as days,
         sum(impressions) as impressions, sum(clicks) as clicks, sum(views) as views,
         sum(completed_views) as completed_views, sum(conversions) as conversions,
         sum(conversion_value) as conversion_value, sum(spend) as spend
       from delivery_daily where customer_id = $1 group by ${key}),
     blocks as (select * from delivery_rollup where customer_id = $1 and days <> 0)
     select * from days full join blocks using (${key})
     where (days.days, days.impressions, days.clicks, days.views, days.completed_views,
         days.conversions, days.conversion_value, days.spend)
       is distinct from (blocks.days, blocks.impressions, blocks.clicks, blocks.views,
         blocks.completed_views, blocks.conversions, blocks.conversion_value, blocks.spend)`,
    [customerId],
  );
  return result.rows;
}

const report = (
  buy: Json,
  day: string,
  figures: { impressions: number; spend: number },
  currency = 'USD',
) => recordDelivery(h, buy, day, figures, currency);

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
  const stores = [
    await storefrontWith(h, [{ sourceId: 'east', url: seller.url }]),
    await storefrontWith(h, [{ sourceId: 'west', url: seller.url }]),
  ];
  booked = await bookedCampaign(h, stores);
  stranger = await createCustomer(h, { role: 'BUYER' });
  [usd, eur] = stores.map((s) => booked.buys.get(s.platformId));
  await fillDays(usd, booked.buyer.id, [usd.packages[0].packageId, 'pkg-second'], 'USD');
  await fillDays(eur, booked.buyer.id, [eur.packages[0].packageId], 'EUR');
  // Another buyer's delivery on the same days (its own advertiser and buy ids).
  await fillDays(
    { mediaBuyId: 'mb_stranger', advertiserId: 999_999, campaignId: 'cmp_stranger' },
    stranger.id,
    ['pkg-stranger'],
    'USD',
  );
}, 90_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const windows: [string, string, string][] = [
  ['both ends mid-month, across the new year', '2025-12-15', '2026-02-10'],
  ['whole months across the new year', '2025-12-01', '2026-01-31'],
  ['one whole month (February)', '2026-02-01', '2026-02-28'],
  ['the last day of a month', '2026-01-31', '2026-01-31'],
  ['a single day mid-month', '2026-01-15', '2026-01-15'],
  ['a month’s first day to mid-month', '2026-01-01', '2026-02-14'],
  ['mid-month to a month’s last day', '2025-11-25', '2026-01-31'],
  ['inside one month', '2026-01-05', '2026-01-20'],
  ['one whole block (days 11-20)', '2026-01-11', '2026-01-20'],
  ['the short last block of February', '2026-02-21', '2026-02-28'],
  ['a day either side of a block', '2026-01-10', '2026-01-21'],
  ['inside one block', '2026-01-12', '2026-01-19'],
  ['wider than the delivery', '2025-10-01', '2026-04-30'],
];

describe('summary over the rollup', () => {
  it.each(windows)('equals the sum of the daily rows to the cent: %s', async (_, start, end) => {
    const res = await metrics(h, booked.buyer.key, `startDate=${start}&endDate=${end}`);
    expect(res.status, res.text).toBe(200);
    const expected = await fromDays(booked.buyer.id, start, end);
    expect(expected.packages.length).toBeGreaterThan(0);
    expect(fromSummary(res.body.data)).toEqual(expected);
  });

  it('equals the daily rows for an open window and in the timeseries totals', async () => {
    const all = await metrics(h, booked.buyer.key, 'days=0');
    expect(fromSummary(all.body.data)).toEqual(await fromDays(booked.buyer.id, first, last));
    const series = await metrics(
      h,
      booked.buyer.key,
      `mediaBuyId=${usd.mediaBuyId}&startDate=2025-12-31&endDate=2026-03-01&view=timeseries`,
    );
    const days = await q(
      `select sum(spend)::text as spend from delivery_daily
       where media_buy_id = $1 and day between '2025-12-31' and '2026-03-01'`,
      [usd.mediaBuyId],
    );
    expect(Math.round(series.body.data.totals.spend * 100)).toBe(
      Math.round(Number(days.rows[0]!['spend']) * 100),
    );
  });
});

describe('rollup maintenance', () => {
  it('starts equal to the daily rows (one row per package and block)', async () => {
    expect(await rollupDrift(booked.buyer.id)).toEqual([]);
    const blocks = await q(
      `select count(*)::int as n from delivery_rollup where customer_id = $1 and days > 0`,
      [booked.buyer.id],
    );
    // 3 packages × 12 blocks (November 11 and 21, three a month to February, March 1).
    expect(blocks.rows[0]!['n']).toBe(36);
  });

  it('applies a re-imported day’s difference, never adding it twice', async () => {
    const january = 'startDate=2026-01-01&endDate=2026-01-31';
    const before = await metrics(h, booked.buyer.key, `mediaBuyId=${usd.mediaBuyId}&${january}`);
    const day = await q(
      `select impressions::float8 as impressions, spend::text as spend from delivery_daily
       where media_buy_id = $1 and package_id = $2 and day = '2026-01-20'`,
      [usd.mediaBuyId, usd.packages[0].packageId],
    );
    const old = day.rows[0]!;
    await report(usd, '2026-01-20', { impressions: 123_456, spend: 987.65 });
    await report(usd, '2026-01-20', { impressions: 123_456, spend: 987.65 });
    const after = await metrics(h, booked.buyer.key, `mediaBuyId=${usd.mediaBuyId}&${january}`);
    expect(after.body.data.totals.impressions).toBe(
      before.body.data.totals.impressions - Number(old['impressions']) + 123_456,
    );
    expect(Math.round(after.body.data.totals.spend * 100)).toBe(
      Math.round(before.body.data.totals.spend * 100) -
        Math.round(Number(old['spend']) * 100) +
        98_765,
    );
    expect(await rollupDrift(booked.buyer.id)).toEqual([]);
  });

  it('moves a day re-reported in another currency out of the old currency’s block', async () => {
    await report(usd, '2026-02-03', { impressions: 4_000, spend: 44.44 }, 'EUR');
    expect(await rollupDrift(booked.buyer.id)).toEqual([]);
    const february = await metrics(
      h,
      booked.buyer.key,
      `mediaBuyId=${usd.mediaBuyId}&startDate=2026-02-01&endDate=2026-02-28`,
    );
    const pkg = (
      february.body.data.advertisers[0].campaigns[0].mediaBuys[0].packages as Json[]
    ).find((p) => p.packageId === usd.packages[0].packageId);
    expect(pkg.currency).toBeNull();
    expect(pkg.byCurrency).toContainEqual({ currency: 'EUR', spend: 44.44, conversionValue: 0 });
    const expected = await fromDays(booked.buyer.id, '2026-02-01', '2026-02-28', usd.mediaBuyId);
    expect(expected.byCurrency.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    expect(
      (february.body.data.totalsByCurrency as Json[]).map((c) => ({
        currency: c.currency,
        spend: Math.round(c.spend * 100),
        conversionValue: Math.round(c.conversionValue * 100),
      })),
    ).toEqual(expected.byCurrency);
  });

  it('stays equal to the daily rows under concurrent imports of the same day and block', async () => {
    const sameDay = Array.from({ length: 10 }, (_, i) =>
      report(usd, '2026-03-05', { impressions: 1_000 * (i + 1), spend: 10.01 * (i + 1) }),
    );
    const sameBlock = Array.from({ length: 10 }, (_, i) =>
      report(
        eur,
        `2026-03-${String(i + 1).padStart(2, '0')}`,
        { impressions: 70 + i, spend: 0.07 * (i + 1) },
        'EUR',
      ),
    );
    const outcomes = await Promise.all([...sameDay, ...sameBlock]);
    expect(outcomes.every((packages) => packages === 1)).toBe(true);
    expect(await rollupDrift(booked.buyer.id)).toEqual([]);
    const march = await metrics(
      h,
      booked.buyer.key,
      `mediaBuyId=${usd.mediaBuyId}&startDate=2026-03-05&endDate=2026-03-05`,
    );
    const pkg = (march.body.data.advertisers[0].campaigns[0].mediaBuys[0].packages as Json[]).find(
      (p) => p.packageId === usd.packages[0].packageId,
    );
    // One of the ten reports, whole: the last one the database applied.
    const i = pkg.metrics.impressions / 1_000 - 1;
    expect(Number.isInteger(i) && i >= 0 && i < 10).toBe(true);
    expect(pkg.metrics.spend).toBe(Math.round(10.01 * (i + 1) * 100) / 100);
  });
});

describe('isolation', () => {
  it('keeps each buyer’s blocks to itself', async () => {
    const mine = await metrics(h, booked.buyer.key, 'startDate=2025-12-01&endDate=2026-01-31');
    expect(JSON.stringify(mine.body.data)).not.toContain('mb_stranger');
    const theirs = await metrics(h, stranger.key, 'startDate=2025-12-01&endDate=2026-01-31');
    expect(fromSummary(theirs.body.data)).toEqual(
      await fromDays(stranger.id, '2025-12-01', '2026-01-31'),
    );
    expect(
      (theirs.body.data.advertisers as Json[]).flatMap((a) =>
        (a.campaigns as Json[]).flatMap((c) => (c.mediaBuys as Json[]).map((b) => b.mediaBuyId)),
      ),
    ).toEqual(['mb_stranger']);
    expect(await rollupDrift(stranger.id)).toEqual([]);
  });
});
