import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { bookedCampaign, metrics } from '../reporting/reporting-support.js';
import {
  startFakeGoogleAds,
  type FakeGoogleAds,
} from '../../../src/sandbox/fakes/google-ads/server.js';
import { goLive } from './support.js';
import { connectGoogle, googleEnv, googleStorefront } from './google-support.js';

let h: Harness;
let google: FakeGoogleAds;

beforeAll(async () => {
  google = await startFakeGoogleAds({
    clientId: 'gads-client-3.apps.example',
    clientSecret: 'gads-secret-3',
    developerToken: 'dev-token-3-abcdef',
  });
  h = await createHarness(googleEnv(google));
  h.services.trustOwnOrigin(await listen(h));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await google?.close();
});

describe('an Interchange buyer’s campaign on a Google Ads adapter storefront', () => {
  it('is discovered and booked over REST like any storefront, and Google’s GAQL metrics reach the buyer’s reporting', async () => {
    const sf = await googleStorefront(h);
    await connectGoogle(h, sf.seller.key);
    await goLive(h, sf);

    const booked = await bookedCampaign(h, [sf]);
    const buy = booked.buys.get(sf.platformId);
    expect(buy.sellerMediaBuyId).toBeTruthy();
    // The package became an ad group of an enabled Display campaign in the chosen account,
    // targeting the source's default country since the campaign named none.
    const [campaign] = google.state.ofKind('campaign', '1112223333');
    expect(campaign!.fields).toMatchObject({
      advertisingChannelType: 'DISPLAY',
      status: 'ENABLED',
    });
    const [location] = google.state.ofKind('campaignCriterion', '1112223333');
    expect(location!.fields.location).toEqual({ geoTargetConstant: 'geoTargetConstants/2840' });
    const [adGroup] = google.state.ofKind('adGroup', '1112223333');
    expect(adGroup!.fields.campaign).toBe(campaign!.resourceName);

    google.state.deliver(adGroup!.id, { impressions: 23_456, clicks: 78, cost: 187.65 });
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const reported = report.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(reported.metrics.impressions).toBe(23_456);
    expect(reported.metrics.spend).toBeCloseTo(187.65, 2);
  });
});
