import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import type { Json } from '../buying/buying-support.js';
import { eventually } from '../../support/eventually.js';
import { createDeliveryImportJobs } from '../../../src/jobs/delivery-import.js';
import type { JobType } from '../../../src/platform/jobs/index.js';
import { bookedCampaign, metrics } from './reporting-support.js';

/**
 * Delivery import through real sellers: the built-in demo seller and @adcp/sdk's example seller
 * (over its mock platform), each behind a storefront agent, asked get_media_buy_delivery on
 * demand (campaign delivery), by the queued sweep, and again (replacing, never adding).
 */
let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
type Sf = { id: number; platformId: string };
let sf: { demo: Sf; sdk: Sf };

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    INTERCHANGE_SOURCE_BUDGET_MS: '8000',
  });
  [demo, sdk] = await Promise.all([
    startSeller('mcp'),
    startSdkSeller('non-guaranteed', undefined, { validateOwnResponses: false }),
  ]);
  sf = {
    demo: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
    sdk: await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]),
  };
}, 90_000);
afterAll(async () => {
  await Promise.all([demo?.close(), sdk?.close()]);
  await h?.close();
});

const sdkFlight = { startsInMs: 6000, endsInMs: 60_000 };
const packagesOf = (delivery: Json): Json[] =>
  (delivery.media_buy_deliveries as Json[]).flatMap((d) => d.by_package as Json[]);
const sum = (rows: Json[], key: string) => rows.reduce((s, r) => s + (r[key] ?? 0), 0);
const cents = (v: number) => Math.round(v * 100);

describe('delivery import', () => {
  it('asks both sellers for a campaign’s delivery and reports exactly what they answered', async () => {
    const booked = await bookedCampaign(h, [sf.demo, sf.sdk], sdkFlight);
    const live = await h.call('GET', `/api/v2/buyer/campaigns/${booked.campaignId}/delivery`, {
      key: booked.buyer.key,
    });
    expect(live.status, live.text).toBe(200);
    const delivery = live.body.data.delivery;
    expect(live.body.data.campaignId).toBe(booked.campaignId);
    expect(delivery.errors).toBeUndefined();
    const ours = new Set([...booked.buys.values()].map((b) => b.mediaBuyId));
    expect(new Set((delivery.media_buy_deliveries as Json[]).map((d) => d.media_buy_id))).toEqual(
      ours,
    );
    for (const d of delivery.media_buy_deliveries as Json[]) {
      expect(d.totals.impressions, JSON.stringify(d)).toBeGreaterThan(0);
      expect(d.totals.spend).toBeGreaterThan(0);
    }
    const packages = packagesOf(delivery);

    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}&days=0`);
    expect(report.status, report.text).toBe(200);
    const { totals, advertisers } = report.body.data;
    expect(totals.impressions).toBe(sum(packages, 'impressions'));
    expect(cents(totals.spend)).toBe(cents(sum(packages, 'spend')));
    expect(report.body.data.totalsCurrency).toBe('USD');
    const campaign = advertisers[0].campaigns[0];
    expect(campaign.campaignId).toBe(booked.campaignId);
    expect(campaign.mediaBuys).toHaveLength(2);
    for (const buy of campaign.mediaBuys as Json[]) {
      const seller = (delivery.media_buy_deliveries as Json[]).find(
        (d) => d.media_buy_id === buy.mediaBuyId,
      );
      expect(buy.metrics.impressions).toBe(seller.totals.impressions);
      expect(buy.packages[0].productId).toBeTruthy();
    }
  }, 60_000);

  it('replaces a day’s figures with the seller’s latest report instead of adding them', async () => {
    const booked = await bookedCampaign(h, [sf.demo, sf.sdk], sdkFlight);
    const [demoBuy, sdkBuy] = [
      booked.buys.get(sf.demo.platformId),
      booked.buys.get(sf.sdk.platformId),
    ];
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const first = await h.services.delivery.importDeliveryFor(demoBuy.mediaBuyId);
    const sdkFirst = await h.services.delivery.importDeliveryFor(sdkBuy.mediaBuyId);
    expect(first.ok && sdkFirst.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await h.services.delivery.importDeliveryFor(demoBuy.mediaBuyId);
    const sdkSecond = await h.services.delivery.importDeliveryFor(sdkBuy.mediaBuyId);
    if (!second.ok || !sdkSecond.ok || !first.ok) throw new Error('import failed');
    const spendOf = (answer: Json) => sum(packagesOf(answer), 'spend');
    // The demo seller spends evenly over the flight: its cumulative figure grew meanwhile.
    expect(spendOf(second.answer)).toBeGreaterThan(spendOf(first.answer));

    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const buys = report.body.data.advertisers[0].campaigns[0].mediaBuys as Json[];
    const demoReported = buys.find((b) => b.mediaBuyId === demoBuy.mediaBuyId);
    const sdkReported = buys.find((b) => b.mediaBuyId === sdkBuy.mediaBuyId);
    expect(cents(demoReported.metrics.spend)).toBe(cents(spendOf(second.answer)));
    expect(cents(sdkReported.metrics.spend)).toBe(cents(spendOf(sdkSecond.answer)));
    expect(sdkReported.metrics.impressions).toBe(sum(packagesOf(sdkSecond.answer), 'impressions'));
  }, 60_000);

  it('imports every booked buy on the queued sweep, and not another buyer’s into this one’s report', async () => {
    const booked = await bookedCampaign(h, [sf.demo, sf.sdk], sdkFlight);
    const other = await createCustomer(h, { role: 'BUYER' });
    await h.services.jobs.start();
    await h.services.deliveryImport.startSweeps();
    const buys: Json[] = await eventually(
      async () =>
        (await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`)).body.data
          .advertisers[0]?.campaigns[0]?.mediaBuys ?? [],
      (found: Json[]) => found.length === 2 && found.every((b) => b.metrics.impressions > 0),
      30_000,
    );
    expect(buys.map((b) => b.mediaBuyId).sort()).toEqual(
      [...booked.buys.values()].map((b) => b.mediaBuyId).sort(),
    );
    const theirs = await metrics(h, other.key, 'days=0');
    expect(theirs.body.data.advertisers).toEqual([]);
    expect(theirs.body.data.totals.impressions).toBe(0);
    const peek = await h.call('GET', `/api/v2/buyer/campaigns/${booked.campaignId}/delivery`, {
      key: other.key,
    });
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe('NOT_FOUND');
  }, 60_000);

  it('classes a seller’s source gone as worth retrying and a buy unknown as not, and the job acts on it', async () => {
    const gone = await startSeller('mcp');
    const sfGone = await storefrontWith(h, [{ sourceId: 'gone', url: gone.url }]);
    const booked = await bookedCampaign(h, [sfGone]);
    await gone.close();
    const types: JobType<unknown>[] = [];
    createDeliveryImportJobs(
      h.services.delivery,
      { define: (t) => void types.push(t as JobType<unknown>), send: async () => null },
      { intervalSeconds: 0, graceMs: 0 },
    );
    const importJob = types.find((t) => t.name === 'delivery.import-buy')!;
    const run = (mediaBuyId: string) =>
      importJob.handler({ mediaBuyId }, { id: 'job', retryCount: 0 });

    const buyId = booked.buys.get(sfGone.platformId).mediaBuyId as string;
    const down = await h.services.delivery.importDeliveryFor(buyId);
    // The storefront agent answers; its source being down comes back as the answer's errors.
    expect(down).toMatchObject({ ok: false, reason: 'seller_refused' });
    await expect(run(buyId)).rejects.toThrow(buyId);

    const unknown = await h.services.delivery.importDeliveryFor('mb_never_booked');
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown_buy' });
    await expect(run('mb_never_booked')).resolves.toBeUndefined();
  }, 60_000);
});
