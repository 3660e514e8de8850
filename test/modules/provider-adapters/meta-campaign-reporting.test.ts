import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { bookedCampaign, metrics } from '../reporting/reporting-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, goLive, metaEnv, metaStorefront } from './support.js';

let h: Harness;
let meta: FakeMeta;

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-789', clientSecret: 'app-secret-def' });
  h = await createHarness(metaEnv(meta));
  h.services.trustOwnOrigin(await listen(h));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await meta?.close();
});

describe('an Interchange buyer’s campaign on a Meta adapter storefront', () => {
  it('is discovered and booked over REST like any storefront, and Meta’s Insights reach the buyer’s reporting', async () => {
    const sf = await metaStorefront(h);
    await connectMeta(h, sf.seller.key);
    await goLive(h, sf);

    const booked = await bookedCampaign(h, [sf]);
    const buy = booked.buys.get(sf.platformId);
    expect(buy.sellerMediaBuyId).toBeTruthy();
    // The package became an ad set in the connected account, targeting the source's default
    // country since the campaign named none.
    const [adSet] = meta.state.ofKind('adset');
    expect(adSet, JSON.stringify(meta.state.calls.slice(-5))).toBeDefined();
    expect(adSet!.account).toBe('act_1001');
    expect(adSet!.fields.targeting).toMatchObject({ geo_locations: { countries: ['US'] } });
    expect(adSet!.fields.lifetime_budget).toBeGreaterThan(0);

    meta.state.deliver(adSet!.id, { impressions: 12_345, clicks: 67, spend: 246.9 });
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const reported = report.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(reported.metrics.impressions).toBe(12_345);
    expect(reported.metrics.spend).toBeCloseTo(246.9, 2);
  });
});
