import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { bookedCampaign, metrics } from '../reporting/reporting-support.js';
import { availRow, commitCsv, day, header, modularStorefront, sources } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('an Interchange buyer’s campaign on a modular source', () => {
  it('is discovered, booked and reported from the publisher’s uploaded report', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header}\n${availRow('spring-outdoor', 10_000_000).replace('Homepage takeover', 'Outdoor display spring')}`,
    );
    const booked = await bookedCampaign(h, [sf]);
    const buy = booked.buys.get(sf.platformId);
    expect(buy.sellerMediaBuyId).toBeTruthy();

    // The publisher uploads a report during the flight; the buyer's delivery import reads it.
    const queue = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/work-items?kind=UPLOAD_FINAL_REPORT`,
      { key: sf.seller.key },
    );
    const item = queue.body.data.items[0];
    expect(item, queue.text).toBeDefined();
    const today = day(0).slice(0, 10);
    const done = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/media-buys/${item.mediaBuyId}/delivery-reports`,
      {
        key: sf.seller.key,
        body: { rows: [{ date: today, impressions: 12_345, spend: 246.9 }] },
      },
    );
    expect(done.status, done.text).toBe(201);
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const reported = report.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(reported.metrics.impressions).toBe(12_345);
    expect(reported.metrics.spend).toBeCloseTo(246.9, 2);

    // The storefront reads the same delivery in its own reporting, filtered to the modular
    // source, and in its media-buy views and analytics.
    const storefront = await h.call(
      'GET',
      `/api/v2/storefront/reporting/metrics?inventorySourceId=${sf.sourceId}`,
      { key: sf.seller.key },
    );
    expect(storefront.status, storefront.text).toBe(200);
    expect(storefront.body.data.totals).toMatchObject({ impressions: 12_345 });
    expect(storefront.body.data.totals.spend).toBeCloseTo(246.9, 2);
    const sold = storefront.body.data.advertisers
      .flatMap((a: { mediaBuys: Array<{ mediaBuyId: string }> }) => a.mediaBuys)
      .find((m: { mediaBuyId: string }) => m.mediaBuyId === buy.sellerMediaBuyId);
    expect(sold?.metrics.impressions, storefront.text).toBe(12_345);
    const series = await h.call(
      'GET',
      `/api/v2/storefront/reporting/metrics?inventorySourceId=${sf.sourceId}&view=timeseries`,
      { key: sf.seller.key },
    );
    expect(
      series.body.data.timeseries.map((r: { date: string; metrics: { impressions: number } }) => [
        r.date,
        r.metrics.impressions,
      ]),
      series.text,
    ).toEqual([[today, 12_345]]);
    const buys = await h.call('GET', `/api/v2/storefront/media-buys?sourceId=${sf.sourceId}`, {
      key: sf.seller.key,
    });
    expect(buys.status, buys.text).toBe(200);
    const view = buys.body.data.items.find(
      (b: { mediaBuyId: string }) => b.mediaBuyId === buy.sellerMediaBuyId,
    );
    expect(view, buys.text).toMatchObject({ status: 'delivering' });
    const analytics = await h.call('GET', '/api/v2/storefront/seller-analytics', {
      key: sf.seller.key,
    });
    expect(analytics.status, analytics.text).toBe(200);
    expect(analytics.body.data.outcomes, analytics.text).toMatchObject({
      deliveredImpressions: 12_345,
      deliveredCurrency: 'USD',
    });
  }, 90_000);
});
