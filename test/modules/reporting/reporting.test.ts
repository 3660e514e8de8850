import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlSigner } from '../../../src/platform/signed-urls.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import type { Json } from '../buying/buying-support.js';
import {
  type BookedCampaign,
  bookedCampaign,
  deliveryReport,
  metrics,
  recordDelivery,
} from './reporting-support.js';

/**
 * Reporting over delivery recorded from sellers' reports (the path a delivery notification
 * takes): a campaign booked on two storefronts, one buy reporting in USD and one in EUR, on days
 * in the past, so the figures are known to the cent.
 */
let h: Harness;
let seller: RunningSeller;
let booked: BookedCampaign;
let stranger: TestCustomer;
let usd: Json;
let eur: Json;

const [d1, d2, d3] = ['2026-01-10', '2026-01-11', '2026-01-12'];
const window = `startDate=${d1}&endDate=${d3}`;

const report = (
  buy: Json,
  day: string,
  figures: { impressions: number; spend: number; clicks?: number },
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
  await report(usd, d1, { impressions: 1000, spend: 10.1, clicks: 5 });
  await report(usd, d2, { impressions: 2000, spend: 20.2, clicks: 7 });
  await report(usd, d3, { impressions: 3000, spend: 30.33, clicks: 11 });
  await report(eur, d1, { impressions: 500, spend: 5.55 }, 'EUR');
  await report(eur, d2, { impressions: 700, spend: 7.77 }, 'EUR');
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const cents = (v: number) => Math.round(v * 100);
const get = (query: string, who: TestCustomer = booked.buyer) => metrics(h, who.key, query);

describe('summary', () => {
  it('nests advertiser → campaign → media buy → package with totals, never summing two currencies', async () => {
    const res = await get(`campaignId=${booked.campaignId}&${window}`);
    expect(res.status, res.text).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({ periodStart: d1, periodEnd: d3, totalsCurrency: null });
    expect(data.advertisers).toHaveLength(1);
    const advertiser = data.advertisers[0];
    expect(advertiser).toMatchObject({
      advertiserId: booked.advertiserId,
      advertiserName: 'Acme Outdoor',
      name: 'Acme Outdoor',
    });
    const campaign = advertiser.campaigns[0];
    expect(campaign).toMatchObject({ campaignId: booked.campaignId, currency: null });
    expect(campaign.metrics).toMatchObject({
      impressions: 7200,
      clicks: 23,
      spend: null,
      ecpm: null,
    });
    expect(campaign.totals).toEqual(campaign.metrics);
    expect(campaign.byCurrency).toEqual([
      { currency: 'EUR', spend: 13.32, conversionValue: 0 },
      { currency: 'USD', spend: 60.63, conversionValue: 0 },
    ]);
    const buys = new Map((campaign.mediaBuys as Json[]).map((b) => [b.mediaBuyId, b]));
    expect(buys.get(usd.mediaBuyId)).toMatchObject({
      currency: 'USD',
      status: usd.status,
      metrics: { impressions: 6000, clicks: 23, spend: 60.63, ecpm: 10.105 },
    });
    expect(buys.get(eur.mediaBuyId)).toMatchObject({ currency: 'EUR', metrics: { spend: 13.32 } });
    expect(buys.get(usd.mediaBuyId).packages).toEqual([
      expect.objectContaining({
        packageId: usd.packages[0].packageId,
        productId: usd.packages[0].productId,
        productName: usd.packages[0].productName,
        metrics: expect.objectContaining({ spend: 60.63 }),
      }),
    ]);
    expect(data.totals).toMatchObject({ impressions: 7200, spend: null });
    expect(data.totalsByCurrency).toEqual(campaign.byCurrency);
    expect(data.consolidated).toBeNull();
  });

  it('consolidates into displayCurrency only what is already in it, listing the rest unconverted', async () => {
    const res = await get(`campaignId=${booked.campaignId}&${window}&displayCurrency=usd`);
    expect(res.body.data.consolidated).toMatchObject({
      totals: { spend: 60.63, impressions: 7200 },
      conversionInfo: {
        displayCurrency: 'USD',
        rateSource: 'none',
        rates: [],
        unconverted: ['EUR'],
      },
    });
    expect(res.body.data.consolidated.byAdvertiser).toEqual(
      expect.arrayContaining([
        { advertiserId: booked.advertiserId, currency: 'EUR', spend: null },
        { advertiserId: booked.advertiserId, currency: 'USD', spend: 60.63 },
      ]),
    );
  });
});

describe('summary, timeseries and CSV', () => {
  it('agree to the cent for the same window', async () => {
    const summary = (await get(`campaignId=${booked.campaignId}&${window}`)).body.data;
    const series = await get(`campaignId=${booked.campaignId}&${window}&view=timeseries`);
    expect(series.status, series.text).toBe(200);
    const rows: Json[] = series.body.data.timeseries;
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({
      date: d1,
      campaignId: booked.campaignId,
      campaignName: 'Delivery under way',
      management: 'managed',
      packageId: expect.any(String),
    });
    const seriesCents = (currency: string) =>
      rows.filter((r) => r.currency === currency).reduce((s, r) => s + cents(r.metrics.spend), 0);
    expect(series.body.data.totalsByCurrency).toEqual(summary.totalsByCurrency);

    const download = await get(`campaignId=${booked.campaignId}&${window}&download=true`);
    expect(download.status, download.text).toBe(200);
    const { downloadUrl, rowCount, fileName, expiresAt } = download.body.data;
    expect(rowCount).toBe(5);
    expect(fileName).toMatch(/\.csv$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // No API key: the signed URL is the credential.
    const csv = await h.call('GET', new URL(downloadUrl).pathname + new URL(downloadUrl).search);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    const columns = (header as string).split(',');
    const at = (line: string, name: string) => line.split(',')[columns.indexOf(name)] as string;
    const csvCents = (currency: string) =>
      lines
        .filter((l) => at(l, 'currency') === currency)
        .reduce((s, l) => s + cents(Number(at(l, 'spend'))), 0);

    for (const { currency, spend } of summary.totalsByCurrency as Json[]) {
      expect(seriesCents(currency)).toBe(cents(spend));
      expect(csvCents(currency)).toBe(cents(spend));
    }
    expect(lines.reduce((s, l) => s + Number(at(l, 'impressions')), 0)).toBe(
      summary.totals.impressions,
    );
  });

  it('refuses a tampered or expired download link with 403', async () => {
    const download = await get(`campaignId=${booked.campaignId}&${window}&download=true`);
    const url = new URL(download.body.data.downloadUrl);
    const path = url.pathname + url.search;
    const theirs = Buffer.from(JSON.stringify({ customerId: stranger.id })).toString('base64url');
    const tampered = path.replace(/report=[^&]+/, `report=${theirs}`);
    for (const bad of [tampered, path.replace(/expires=\d+/, 'expires=9999999999')]) {
      const res = await h.call('GET', bad);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ACCESS_DENIED');
    }
    // Signed as the server signs, with an expiry already passed.
    const signer = createUrlSigner(h.secrets.derive('interchange signed urls v1'));
    const unsigned = path.slice(0, path.indexOf('&expires='));
    const expired = signer.sign(unsigned, new Date(Date.now() - 1000));
    expect((await h.call('GET', expired)).status).toBe(403);
    expect((await h.call('GET', signer.sign(unsigned, new Date(Date.now() + 60_000)))).status).toBe(
      200,
    );
  });
});

describe('import', () => {
  it('replaces a re-sent day and gives each day of cumulative reports its difference', async () => {
    await report(usd, d1, { impressions: 1000, spend: 10.1, clicks: 5 });
    const again = await get(`mediaBuyId=${usd.mediaBuyId}&${window}`);
    expect(again.body.data.totals).toMatchObject({ impressions: 6000, spend: 60.63 });

    const cumulative = (end: string, spend: number, impressions: number) =>
      h.services.delivery.applyDeliveryReport(
        usd.mediaBuyId,
        deliveryReport(
          usd.sellerMediaBuyId,
          usd.packages[0].packageId,
          { start: '2026-02-01', end },
          { impressions, spend },
        ),
      );
    await cumulative('2026-02-01', 100, 10_000);
    await cumulative('2026-02-02', 250, 25_000);
    await cumulative('2026-02-02', 250, 25_000);
    await cumulative('2026-02-02', 260, 26_000);
    const series = await get(
      `mediaBuyId=${usd.mediaBuyId}&startDate=2026-02-01&endDate=2026-02-02&view=timeseries`,
    );
    expect(
      series.body.data.timeseries.map((r: Json) => [
        r.date,
        r.metrics.spend,
        r.metrics.impressions,
      ]),
    ).toEqual([
      ['2026-02-01', 100, 10_000],
      ['2026-02-02', 160, 16_000],
    ]);
  });
  it('takes a seller’s own per-day breakdown, clicks (which it does not split by day) on the last day', async () => {
    const pkg = usd.packages[0].packageId;
    const breakdown = {
      reporting_period: { start: '2026-03-01T00:00:00Z', end: '2026-03-04T00:00:00Z' },
      currency: 'USD',
      media_buy_deliveries: [
        {
          media_buy_id: usd.sellerMediaBuyId,
          status: 'active',
          totals: { impressions: 6000, spend: 66, clicks: 30 },
          by_package: [
            {
              package_id: pkg,
              impressions: 6000,
              spend: 66,
              clicks: 30,
              daily_breakdown: [
                { date: '2026-03-01', impressions: 1000, spend: 11 },
                { date: '2026-03-02', impressions: 2000, spend: 22 },
                { date: '2026-03-03', impressions: 3000, spend: 33 },
              ],
            },
          ],
        },
      ],
    };
    // Sent twice: the same days, not twice the figures.
    await h.services.delivery.applyDeliveryReport(usd.mediaBuyId, breakdown);
    await h.services.delivery.applyDeliveryReport(usd.mediaBuyId, breakdown);
    const series = await get(
      `mediaBuyId=${usd.mediaBuyId}&startDate=2026-03-01&endDate=2026-03-04&view=timeseries`,
    );
    expect(
      series.body.data.timeseries.map((r: Json) => [
        r.date,
        r.metrics.impressions,
        r.metrics.spend,
        r.metrics.clicks,
      ]),
    ).toEqual([
      ['2026-03-01', 1000, 11, 0],
      ['2026-03-02', 2000, 22, 0],
      ['2026-03-03', 3000, 33, 30],
    ]);
  });
});

describe('filters', () => {
  it('narrows by media buy, by dates and by a count of days', async () => {
    const one = await get(`mediaBuyId=${eur.mediaBuyId}&${window}`);
    expect(one.body.data).toMatchObject({
      totalsCurrency: 'EUR',
      totals: { spend: 13.32, impressions: 1200 },
    });
    const day = await get(`campaignId=${booked.campaignId}&startDate=${d2}&endDate=${d2}`);
    expect(day.body.data.totalsByCurrency).toEqual([
      { currency: 'EUR', spend: 7.77, conversionValue: 0 },
      { currency: 'USD', spend: 20.2, conversionValue: 0 },
    ]);
    const lastTwo = await get(`campaignId=${booked.campaignId}&endDate=${d3}&days=2`);
    expect(lastTwo.body.data).toMatchObject({ periodStart: d2, periodEnd: d3 });
    expect(lastTwo.body.data.totals.impressions).toBe(2000 + 3000 + 700);
    const byAdvertiser = await get(`advertiserId=${booked.advertiserId}&${window}`);
    expect(byAdvertiser.body.data.totals.impressions).toBe(7200);
  });

  it('answers 400 for a bad window and 404 for a campaign of another advertiser', async () => {
    for (const [query, field] of [
      [`startDate=${d3}&endDate=${d1}`, 'startDate'],
      ['startDate=2026-02-30', 'startDate'],
      ['days=91', 'days'],
      ['view=pivot', 'view'],
      ['displayCurrency=dollars', 'displayCurrency'],
      ['advertiserId=9999999999', 'advertiserId'],
      ['demo=true', 'demo'],
    ] as const) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    const other = await h.call('POST', '/api/v2/buyer/advertisers', {
      key: booked.buyer.key,
      body: { name: 'Other brand', brand: 'other.example', primaryCurrency: 'USD' },
    });
    const mismatch = await get(
      `advertiserId=${other.body.data.id}&campaignId=${booked.campaignId}`,
    );
    expect(mismatch.status).toBe(404);
  });
});

describe('security', () => {
  it('shows another buyer nothing of this one: its ids are NOT_FOUND and its report is empty', async () => {
    for (const query of [
      `campaignId=${booked.campaignId}`,
      `mediaBuyId=${usd.mediaBuyId}`,
      `advertiserId=${booked.advertiserId}`,
    ]) {
      const res = await get(query, stranger);
      expect(res.status, query).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const all = await get(`${window}`, stranger);
    expect(all.body.data).toMatchObject({ advertisers: [], totals: { impressions: 0, spend: 0 } });
    const series = await get(`${window}&view=timeseries`, stranger);
    expect(series.body.data.timeseries).toEqual([]);
    const download = await get(`${window}&download=true`, stranger);
    expect(download.body.data.rowCount).toBe(0);
  });
});

describe('conversion events', () => {
  it('counts the advertiser’s conversion events, at the campaign whose flight covers them', async () => {
    const base = `/api/v2/buyer/advertisers/${booked.advertiserId}`;
    const synced = await h.call('POST', `${base}/event-sources/sync`, {
      key: booked.buyer.key,
      body: { event_sources: [{ event_source_id: 'pixel', name: 'Pixel' }] },
    });
    expect(synced.status, synced.text).toBe(200);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const beforeFlight = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const logged = await h.call('POST', `${base}/log-event`, {
      key: booked.buyer.key,
      body: {
        event_source_id: 'pixel',
        events: [
          {
            event_id: 'p1',
            event_type: 'purchase',
            event_time: hourAgo,
            custom_data: { value: 40, currency: 'USD' },
          },
          {
            event_id: 'p2',
            event_type: 'purchase',
            event_time: hourAgo,
            custom_data: { value: 2.5, currency: 'USD' },
          },
          { event_id: 'l1', event_type: 'lead', event_time: beforeFlight },
          { event_id: 'c1', event_type: 'add_to_cart', event_time: hourAgo },
        ],
      },
    });
    expect(logged.status, logged.text).toBe(200);
    const res = await get(`advertiserId=${booked.advertiserId}&days=7`);
    expect(res.status, res.text).toBe(200);
    const advertiser = res.body.data.advertisers[0];
    expect(advertiser.eventConversions).toEqual({
      count: 3,
      values: [{ currency: 'USD', value: 42.5 }],
    });
    const campaign = (advertiser.campaigns as Json[]).find(
      (c) => c.campaignId === booked.campaignId,
    );
    expect(campaign.eventConversions).toEqual({
      count: 2,
      values: [{ currency: 'USD', value: 42.5 }],
    });
    // The advertiser's event summary is still there, counting every event.
    const summary = await h.call(
      'GET',
      `${base}/events/summary?startHour=${beforeFlight.slice(0, 13)}:00:00Z`,
      {
        key: booked.buyer.key,
      },
    );
    expect(summary.status, summary.text).toBe(200);
    expect(summary.body.data.totalEventCount).toBe(4);
  });
});
