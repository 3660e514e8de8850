import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { bookedCampaign, metrics } from '../reporting/reporting-support.js';
import { dayOf } from './delivery-support.js';
import { availRow, commitCsv, header, modularStorefront, sources } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Row = {
  date: string;
  mediaBuyId: string;
  mediaBuyStatus: string;
  metrics: { impressions: number; clicks: number; spend: number };
};
const byDay = (rows: Row[]) => rows.map((r) => [r.date, r.metrics.impressions, r.metrics.clicks]);

/** A modular storefront and an Interchange buyer's campaign booked on it. */
async function campaignOnModular(flight: { endsInMs: number }) {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    `${header}\n${availRow('spring-outdoor', 10_000_000).replace('Homepage takeover', 'Outdoor display spring')}`,
  );
  const booked = await bookedCampaign(h, [sf], flight);
  const buy = booked.buys.get(sf.platformId);
  const queue = await h.call(
    'GET',
    `${sources}/${sf.sourceId}/modular/work-items?kind=UPLOAD_FINAL_REPORT`,
    { key: sf.seller.key },
  );
  const item = queue.body.data.items[0] as { id: string; mediaBuyId: string };
  expect(item, queue.text).toBeDefined();
  return { sf, booked, buy, item };
}

const storefrontReport = (key: string, query: string) =>
  h.call('GET', `/api/v2/storefront/reporting/metrics?${query}`, { key });

describe('reporting of a modular source’s delivery', () => {
  it('dates delivery by the day it was delivered, with clicks, for the buyer and the seller', async () => {
    const endsInMs = 20_000;
    const { sf, booked, buy, item } = await campaignOnModular({ endsInMs });
    await new Promise((resolve) => setTimeout(resolve, endsInMs + 1_000));
    // Uploaded today: yesterday's and today's delivery.
    const done = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/work-items/${item.id}/complete`,
      {
        key: sf.seller.key,
        body: {
          result: {
            csvText: `date,impressions,clicks,spend\n${dayOf(-1)},1000,10,20\n${dayOf(0)},2000,30,40`,
          },
        },
      },
    );
    expect(done.status, done.text).toBe(200);
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const period = `startDate=${dayOf(-1)}&endDate=${dayOf(0)}`;

    // The buyer's reporting: one row a day, clicks carried.
    const buyer = await metrics(
      h,
      booked.buyer.key,
      `campaignId=${booked.campaignId}&view=timeseries&${period}`,
    );
    expect(buyer.status, buyer.text).toBe(200);
    expect(byDay(buyer.body.data.timeseries), buyer.text).toEqual([
      [dayOf(-1), 1_000, 10],
      [dayOf(0), 2_000, 30],
    ]);
    expect(buyer.body.data.totals).toMatchObject({ impressions: 3_000, clicks: 40 });

    // The seller's reporting: the same days and clicks, in the API, the summary and the CSV.
    const seller = await storefrontReport(
      sf.seller.key,
      `inventorySourceId=${sf.sourceId}&view=timeseries&${period}`,
    );
    expect(seller.status, seller.text).toBe(200);
    expect(byDay(seller.body.data.timeseries), seller.text).toEqual([
      [dayOf(-1), 1_000, 10],
      [dayOf(0), 2_000, 30],
    ]);
    const summary = await storefrontReport(
      sf.seller.key,
      `inventorySourceId=${sf.sourceId}&${period}`,
    );
    expect(summary.body.data.totals, summary.text).toMatchObject({
      impressions: 3_000,
      clicks: 40,
      spend: 60,
      ctr: expect.any(Number),
    });
    const link = await storefrontReport(
      sf.seller.key,
      `inventorySourceId=${sf.sourceId}&${period}&download=true`,
    );
    const url = new URL(link.body.data.downloadUrl);
    const csv = await h.call('GET', url.pathname + url.search);
    expect(csv.status, csv.text).toBe(200);
    const [head, ...lines] = csv.text.trim().split('\r\n');
    const columns = head!.split(',');
    const cells = lines.map((line) =>
      Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])),
    );
    expect(cells.map((c) => [c['date'], c['impressions'], c['clicks']])).toEqual([
      [dayOf(-1), '1000', '10'],
      [dayOf(0), '2000', '30'],
    ]);

    // A corrected final report moves yesterday's figures, clicks included, on both sides.
    const fixed = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/work-items/${item.id}/complete`,
      {
        key: sf.seller.key,
        body: { result: { rows: [{ date: dayOf(-1), impressions: 900, clicks: 5, spend: 18 }] } },
      },
    );
    expect(fixed.status, fixed.text).toBe(200);
    expect((await h.services.delivery.importDeliveryFor(buy.mediaBuyId)).ok).toBe(true);
    const corrected = [
      [dayOf(-1), 900, 5],
      [dayOf(0), 2_000, 30],
    ];
    const buyerAfter = await metrics(
      h,
      booked.buyer.key,
      `campaignId=${booked.campaignId}&view=timeseries&${period}`,
    );
    expect(byDay(buyerAfter.body.data.timeseries), buyerAfter.text).toEqual(corrected);
    const sellerAfter = await storefrontReport(
      sf.seller.key,
      `inventorySourceId=${sf.sourceId}&view=timeseries&${period}`,
    );
    expect(byDay(sellerAfter.body.data.timeseries), sellerAfter.text).toEqual(corrected);

    // The buyer's live campaign delivery (REST) says it is final, adjusted, and how.
    const live = await h.call('GET', `/api/v2/buyer/campaigns/${booked.campaignId}/delivery`, {
      key: booked.buyer.key,
    });
    expect(live.status, live.text).toBe(200);
    const mine = live.body.data.delivery.media_buy_deliveries[0];
    expect(mine, live.text).toMatchObject({ is_final: true, is_adjusted: true });
    expect(
      mine.ext.interchange.delivery_revisions.map(
        (r: { revision: number; report_type: string }) => [r.revision, r.report_type],
      ),
    ).toEqual([
      [1, 'final'],
      [2, 'final'],
    ]);
  }, 150_000);

  it('reads a canceled buy as canceled for the seller and the buyer', async () => {
    const { sf, booked, buy, item } = await campaignOnModular({ endsInMs: 3_600_000 });
    // Delivery was asked of the storefront (as the import sweep does) before the buyer cancels.
    expect((await h.services.delivery.importDeliveryFor(buy.mediaBuyId)).ok).toBe(true);
    const canceled = await h.call('PUT', `/api/v2/buyer/campaigns/${booked.campaignId}`, {
      key: booked.buyer.key,
      body: { mediaBuys: [{ action: 'cancel', mediaBuyId: buy.mediaBuyId }] },
    });
    expect(canceled.status, canceled.text).toBe(200);
    expect((await h.services.delivery.importDeliveryFor(buy.mediaBuyId)).ok).toBe(true);

    // The seller's media buys and its reporting.
    const list = await h.call('GET', `/api/v2/storefront/media-buys?sourceId=${sf.sourceId}`, {
      key: sf.seller.key,
    });
    const listed = list.body.data.items.find(
      (b: { mediaBuyId: string }) => b.mediaBuyId === buy.sellerMediaBuyId,
    );
    expect(listed?.status, list.text).toBe('canceled');
    const summary = await storefrontReport(sf.seller.key, `inventorySourceId=${sf.sourceId}`);
    const reported = summary.body.data.advertisers
      .flatMap((a: { mediaBuys: Array<{ mediaBuyId: string; status: string }> }) => a.mediaBuys)
      .find((m: { mediaBuyId: string }) => m.mediaBuyId === buy.sellerMediaBuyId);
    expect(reported?.status, summary.text).toBe('canceled');

    // What it delivered before the cancel is still reported, and reads canceled on both sides.
    const upload = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/media-buys/${item.mediaBuyId}/delivery-reports`,
      {
        key: sf.seller.key,
        body: { final: true, rows: [{ date: dayOf(0), impressions: 500, clicks: 5, spend: 10 }] },
      },
    );
    expect(upload.status, upload.text).toBe(201);
    expect((await h.services.delivery.importDeliveryFor(buy.mediaBuyId)).ok).toBe(true);
    const series = await storefrontReport(
      sf.seller.key,
      `inventorySourceId=${sf.sourceId}&view=timeseries`,
    );
    expect(
      (series.body.data.timeseries as Row[]).map((r) => [r.mediaBuyStatus, r.metrics.clicks]),
      series.text,
    ).toEqual([['canceled', 5]]);
    const buyerReport = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const mine = buyerReport.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(mine, buyerReport.text).toMatchObject({
      status: 'CANCELED',
      metrics: expect.objectContaining({ impressions: 500, clicks: 5 }),
    });
  }, 150_000);
});
