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
  it('is discovered, booked and reported from the publisher’s uploaded final report', async () => {
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

    // The publisher uploads the final report; the buyer's delivery import reads it.
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
      `${sources}/${sf.sourceId}/modular/work-items/${item.id}/complete`,
      {
        key: sf.seller.key,
        body: { result: { rows: [{ date: today, impressions: 12_345, spend: 246.9 }] } },
      },
    );
    expect(done.status, done.text).toBe(200);
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const reported = report.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(reported.metrics.impressions).toBe(12_345);
    expect(reported.metrics.spend).toBeCloseTo(246.9, 2);
  }, 90_000);
});
