import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  pngBytes,
  startFakeGoogleAds,
  type FakeGoogleAds,
} from '../../../src/sandbox/fakes/google-ads/server.js';
import { googleError } from '../../../src/sandbox/fakes/google-ads/state.js';
import { liveBuyerAgent, liveStorefront, sources } from './support.js';
import { connectGoogle, googleEnv, googleStorefront, imageCreative } from './google-support.js';

let h: Harness;
let base: string;
let google: FakeGoogleAds;

beforeAll(async () => {
  google = await startFakeGoogleAds({
    clientId: 'gads-client-1.apps.example',
    clientSecret: 'gads-secret-1',
    developerToken: 'dev-token-1-abcdef',
  });
  h = await createHarness(googleEnv(google));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  google.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await google?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const direct = '1112223333';

const liveGoogleStorefront = () =>
  liveStorefront(h, base, googleStorefront, connectGoogle, 'Display banners on the web');

type Agent = Awaited<ReturnType<typeof liveGoogleStorefront>>['agent'];

async function displayProduct(agent: Agent) {
  const found = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'Display banners for a spring launch',
    brand: { domain: 'acmeoutdoor.example' },
  });
  expect(found.isError, JSON.stringify(found)).toBe(false);
  return found.products[0];
}

function buyRequest(
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  packages: Array<Record<string, unknown>>,
) {
  return {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    packages: packages.map((p) => ({
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      ...p,
    })),
  };
}

describe('a storefront selling through its Google Ads account', () => {
  it('is discovered and booked over MCP as one campaign made paused, then enabled; paused, reported and removed at Google', async () => {
    const sf = await googleStorefront(h);
    await connectGoogle(h, sf.seller.key);

    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const display = await displayProduct(agent);
      expect(display.name).toBe('Google Display Network');
      expect(display.pricing_options[0].currency).toBe('USD');
      const bought = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          {
            budget: 1000,
            bid_price: 8.5,
            targeting_overlay: { geo_countries: ['US', 'CA'] },
            creatives: [imageCreative(google)],
          },
          {
            budget: 500,
            targeting_overlay: { geo_countries: ['CA', 'US'] },
            // A photo-sized image (2 MiB), past the adapters' API client's 512 KiB cap.
            creatives: [imageCreative(google, 'large-spring-banner')],
          },
        ]),
      );
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // One atomic mutate made everything, the campaign PAUSED; a second one enabled it.
      const mine = google.state.mutations.filter((m) => m.customerId === direct);
      expect(mine).toHaveLength(2);
      const made = mine[0]!.mutateOperations as Array<
        Record<string, { create?: Record<string, unknown> }>
      >;
      expect(made.find((o) => o.campaignOperation)!.campaignOperation!.create!.status).toBe(
        'PAUSED',
      );
      // What the Google Ads UI would show.
      const [campaign, ...more] = google.state.ofKind('campaign', direct);
      expect(more).toHaveLength(0);
      expect(campaign!.fields).toMatchObject({
        advertisingChannelType: 'DISPLAY',
        status: 'ENABLED',
        manualCpm: {},
        containsEuPoliticalAdvertising: 'DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING',
      });
      expect(String(campaign!.fields.startDateTime)).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
      expect(String(campaign!.fields.endDateTime)).toMatch(/^\d{4}-\d{2}-\d{2} 23:59:59$/);
      const endBefore = String(campaign!.fields.endDateTime);
      const [budget] = google.state.ofKind('campaignBudget', direct);
      expect(campaign!.fields.campaignBudget).toBe(budget!.resourceName);
      // 1,500 over the ten-day flight (eleven calendar days at most): a daily budget.
      expect(Number(budget!.fields.amountMicros)).toBeGreaterThanOrEqual(136_360_000);
      expect(Number(budget!.fields.amountMicros)).toBeLessThanOrEqual(150_000_000);
      const locations = google.state
        .ofKind('campaignCriterion', direct)
        .map((c) => (c.fields.location as { geoTargetConstant: string }).geoTargetConstant);
      expect(locations).toEqual(['geoTargetConstants/2124', 'geoTargetConstants/2840']);
      const groups = google.state.ofKind('adGroup', direct);
      expect(groups.map((g) => [g.fields.type, g.fields.cpmBidMicros, g.fields.campaign])).toEqual([
        ['DISPLAY_STANDARD', '8500000', campaign!.resourceName],
        ['DISPLAY_STANDARD', '1000000', campaign!.resourceName],
      ]);
      const assets = google.state.ofKind('asset', direct);
      expect(assets).toHaveLength(2);
      expect((assets[0]!.fields.imageAsset as { data: string }).data).toBe(
        pngBytes.toString('base64'),
      );
      const large = Buffer.from((assets[1]!.fields.imageAsset as { data: string }).data, 'base64');
      expect(large.length).toBe(2 << 20);
      const ads = google.state.ofKind('adGroupAd', direct);
      expect(ads.map((a) => a.fields.adGroup)).toEqual(groups.map((g) => g.resourceName));
      expect(ads[0]!.fields.ad).toMatchObject({
        finalUrls: ['https://acmeoutdoor.example/spring'],
        imageAd: { imageAsset: { asset: assets[0]!.resourceName } },
      });

      const paused = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        paused: true,
      });
      expect(paused.isError, JSON.stringify(paused)).toBe(false);
      expect(campaign!.fields.status).toBe('PAUSED');
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(listed.media_buys[0].status, JSON.stringify(listed)).toBe('paused');

      // A budget and flight change: the campaign's daily budget is recomputed from the buy as
      // changed (2,000 + 500 over a 20-day flight: 125 a day) and its end moves, in one mutate.
      const firstPackage = listed.media_buys[0].packages.find(
        (p: { budget: number }) => p.budget === 1000,
      );
      const newEnd = new Date(Date.parse(listed.media_buys[0].start_time) + 20 * 86_400_000);
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd.toISOString(),
        packages: [{ package_id: firstPackage.package_id, budget: 2000 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      expect(Number(budget!.fields.amountMicros)).toBe(125_000_000);
      expect(String(campaign!.fields.endDateTime)).toMatch(/^\d{4}-\d{2}-\d{2} 23:59:59$/);
      expect(String(campaign!.fields.endDateTime).slice(0, 10)).not.toBe(endBefore.slice(0, 10));
      expect(campaign!.fields.status).toBe('PAUSED');

      google.state.deliver(groups[0]!.id, { impressions: 40_000, clicks: 220, cost: 340.5 });
      google.state.deliver(groups[1]!.id, { impressions: 2_500, clicks: 9, cost: 12.25 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 42_500,
        clicks: 229,
        spend: 352.75,
      });
      const report = google.state.calls.filter(
        (c) => c.path === `/customers/${direct}/googleAds:searchStream`,
      );
      expect(report.at(-1)!.query).toContain('metrics.cost_micros');

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.fields.status).toBe('REMOVED');
    } finally {
      await agent.close();
    }

    // No token Google issued, nor the app's secret or developer token, is in an answer or a log.
    const view = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
    const secrets = [...google.state.tokens.values()].flatMap((t) => [t.token, t.refreshToken]);
    for (const secret of [...secrets, 'gads-secret-1', 'dev-token-1-abcdef']) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('a buy Google refuses part-way leaves nothing at Google; one that fails after its objects exist resumes without a second campaign', async () => {
    const { agent } = await liveGoogleStorefront();
    try {
      const display = await displayProduct(agent);
      const campaigns = () => google.state.ofKind('campaign', direct).length;
      const leftovers = () =>
        (['campaignBudget', 'adGroup', 'asset', 'adGroupAd'] as const).map(
          (k) => google.state.ofKind(k, direct).length,
        );
      const [campaignsBefore, leftBefore] = [campaigns(), leftovers()];

      // The second creative's image is not an image: Google refuses its asset, and with it the
      // whole request (budget, campaign and the first ad group were in it too).
      const refused = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          {
            budget: 300,
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [imageCreative(google, 'fine'), imageCreative(google, 'broken')],
          },
        ]),
      );
      expect(JSON.stringify(refused)).toContain('INVALID_REQUEST');
      expect(campaigns()).toBe(campaignsBefore);
      expect(leftovers()).toEqual(leftBefore);

      // Google fails enabling the campaign (and its one retry) after the objects were made.
      const internal = googleError(500, 'INTERNAL', { internalError: 'INTERNAL_ERROR' }, 'Boom');
      google.state.failNext(internal.status, internal.body, 'googleAds:mutate', 'updateMask');
      google.state.failNext(internal.status, internal.body, 'googleAds:mutate', 'updateMask');
      const request = buyRequest(display, [
        {
          budget: 300,
          targeting_overlay: { geo_countries: ['US'] },
          creatives: [imageCreative(google, 'resume')],
        },
      ]);
      const failed = await agent.call('create_media_buy', request);
      expect(JSON.stringify(failed)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(failed)).not.toContain('Boom');
      expect(campaigns()).toBe(campaignsBefore + 1);
      expect(google.state.ofKind('campaign', direct).at(-1)!.fields.status).toBe('PAUSED');

      const retried = await agent.call('create_media_buy', request);
      expect(retried.isError, JSON.stringify(retried)).toBe(false);
      expect(campaigns()).toBe(campaignsBefore + 1);
      expect(google.state.ofKind('campaign', direct).at(-1)!.fields.status).toBe('ENABLED');
      expect(google.state.ofKind('adGroupAd', direct).length).toBe(leftBefore[3]! + 1);

      // Google makes everything but its answer is lost: the second try meets the campaign's
      // name, finds the buy's objects by it and adopts them: one campaign, booked.
      google.state.loseNextMutateAnswer = true;
      const lost = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          {
            budget: 300,
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [imageCreative(google, 'lost')],
          },
        ]),
      );
      expect(lost.isError, JSON.stringify(lost)).toBe(false);
      expect(campaigns()).toBe(campaignsBefore + 2);
      expect(google.state.ofKind('campaign', direct).at(-1)!.fields.status).toBe('ENABLED');
    } finally {
      await agent.close();
    }
  });

  it('a creative without an image, or packages naming different countries, is the buyer’s clear 4xx and nothing is sent', async () => {
    const { agent } = await liveGoogleStorefront();
    try {
      const display = await displayProduct(agent);
      const mutations = google.state.mutations.length;
      const { image: _image, ...noImage } = imageCreative(google).assets;
      const missing = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          {
            budget: 100,
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [{ ...imageCreative(google, 'textonly'), assets: noImage }],
          },
        ]),
      );
      expect(JSON.stringify(missing)).toContain('needs an image asset');
      const mixed = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          { budget: 100, targeting_overlay: { geo_countries: ['US'] } },
          { budget: 100, targeting_overlay: { geo_countries: ['GB'] } },
        ]),
      );
      expect(JSON.stringify(mixed)).toContain('countries per campaign');
      expect(google.state.mutations.length).toBe(mutations);
    } finally {
      await agent.close();
    }
  });

  it('two storefronts sharing Google each buy in their own account, and neither buyer sees the other’s buys', async () => {
    const a = await liveGoogleStorefront();
    google.state.consentCustomers = ['5550004444'];
    let b: Awaited<ReturnType<typeof liveGoogleStorefront>>;
    try {
      b = await liveStorefront(
        h,
        base,
        googleStorefront,
        (hh, key) => connectGoogle(hh, key, '5550004444'),
        'Display',
      );
    } finally {
      google.state.consentCustomers = ['1112223333', '9990001111', '6660007777'];
    }
    expect(b.connection.accounts.map((x: { id: string }) => x.id)).toEqual(['5550004444']);
    try {
      const book = async (agent: Agent) => {
        const bought = await agent.call(
          'create_media_buy',
          buyRequest(await displayProduct(agent), [
            {
              budget: 200,
              targeting_overlay: { geo_countries: ['GB'] },
              creatives: [imageCreative(google)],
            },
          ]),
        );
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        return bought.media_buy_id as string;
      };
      const before = google.state.ofKind('campaign', '5550004444').length;
      const fromA = await book(a.agent);
      await book(b.agent);
      expect(google.state.ofKind('campaign', '5550004444')).toHaveLength(before + 1);
      const stolen = await b.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(stolen.media_buys ?? []).toHaveLength(0);
      const own = await a.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(own.media_buys).toHaveLength(1);
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });

  // Google budgets the campaign from the whole buy, so each change must be computed from the buy
  // as the other left it (source-buys.ts): neither may be lost to the other.
  it('two budget changes sent at the same moment both reach Google’s campaign budget and the buy (one change at a time, by the buy’s lease)', async () => {
    const { agent, products } = await liveGoogleStorefront();
    try {
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const product = found.products[0];
      const start = new Date(Date.now() + 2 * 86_400_000);
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 10 * 86_400_000).toISOString(),
        packages: [1000, 500].map((budget) => ({
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget,
          targeting_overlay: { geo_countries: ['US'] },
          creatives: [imageCreative(google)],
        })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const read = async () => {
        const listed = await agent.call('get_media_buys', {
          account,
          media_buy_ids: [bought.media_buy_id],
        });
        expect(listed.isError, JSON.stringify(listed)).toBe(false);
        return listed.media_buys[0] as { packages: Array<{ package_id: string; budget: number }> };
      };
      const [first, second] = (await read()).packages;
      // This buy's: the budget made last (the tests before made theirs in the same account).
      const budget = google.state.ofKind('campaignBudget', direct).at(-1);
      const dailyBefore = Number(budget!.fields.amountMicros);

      // Each change takes Google a moment, so the second arrives while the first is under way.
      google.state.mutateDelayMs = 400;
      const change = (packageId: string, amount: number) =>
        agent.call('update_media_buy', {
          account,
          media_buy_id: bought.media_buy_id,
          idempotency_key: randomUUID(),
          packages: [{ package_id: packageId, budget: amount }],
        });
      const answers = await Promise.all([
        change(first!.package_id, 2000),
        change(second!.package_id, 1500),
      ]);
      google.state.mutateDelayMs = 0;
      for (const answer of answers) expect(answer.isError, JSON.stringify(answer)).toBe(false);

      // 3,500 over the same flight: the daily budget of 1,500 scaled by 3,500 / 1,500.
      expect(Number(budget!.fields.amountMicros) / dailyBefore).toBeCloseTo(3500 / 1500, 2);
      const after = await read();
      expect(Object.fromEntries(after.packages.map((p) => [p.package_id, p.budget]))).toEqual({
        [first!.package_id]: 2000,
        [second!.package_id]: 1500,
      });
    } finally {
      await agent.close();
    }
  }, 90_000);
});
