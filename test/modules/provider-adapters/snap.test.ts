import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import {
  consentInBrowser,
  liveBuyerAgent,
  liveStorefront,
  pastTokenEnd,
  sources,
} from './support.js';
import { connectSnap, snapCreative, snapEnv, snapStorefront } from './snap-support.js';

const largeImage = (creative: ReturnType<typeof snapCreative>) => ({
  ...creative,
  assets: {
    ...creative.assets,
    image: {
      ...creative.assets.image,
      url: creative.assets.image.url.replace('/trail', '/large-trail'),
    },
  },
});

let h: Harness;
let base: string;
let snap: FakeSnap;
let images: ImageHost;

beforeAll(async () => {
  snap = await startFakeSnap({ clientId: 'snap-client-1', clientSecret: 'snap-secret-xyz789' });
  images = await startImageHost();
  h = await createHarness(snapEnv(snap));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  snap.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await snap?.close();
  await images?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const liveSnapStorefront = () =>
  liveStorefront(h, base, snapStorefront, connectSnap, 'Snapchat stories');
const active = '8adc3db7-8148-4fbf-999c-8d2266369d74';

describe('a storefront selling through its Snap ad account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at Snap and reports delivery', async () => {
    const sf = await snapStorefront(h);
    const connected = await connectSnap(h, sf.seller.key);
    // The active account is chosen; the paused one is listed but cannot buy.
    expect(connected.selectedAccount).toMatchObject({ id: active, currency: 'GBP' });
    expect(connected.accounts.map((a: { status: string }) => a.status)).toEqual([
      'active',
      'suspended',
    ]);
    // Snap's access tokens are short-lived: refreshed before they end.
    expect(Date.parse(connected.expiresAt) - Date.now()).toBeLessThan(31 * 60_000);

    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: "Snap Ads between friends' stories for gen z",
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const [stories, ...rest] = found.products;
      expect(stories.name).toBe("Snap Ads between friends' Stories");
      expect(stories.pricing_options[0].currency).toBe('GBP');
      const discover = rest.find((p: { name: string }) => p.name.includes('Discover'));

      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: stories.product_id,
            pricing_option_id: stories.pricing_options[0].pricing_option_id,
            budget: 900,
            bid_price: 4.25,
            targeting_overlay: { geo_countries: ['GB', 'IE'] },
            creatives: [snapCreative(images.url)],
          },
          {
            product_id: discover.product_id,
            pricing_option_id: discover.pricing_options[0].pricing_option_id,
            budget: 300,
            targeting_overlay: { geo_countries: ['GB'] },
            // A photo-sized image (2 MiB), past the adapters' API client's 512 KiB cap.
            creatives: [largeImage(snapCreative(images.url, 'trail-snap-discover'))],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What Snap Ads Manager would show: one campaign, created paused and set active once its
      // ad squads and ads existed; an ad squad per package; media, a creative and an ad each.
      const [campaign, ...more] = snap.state.ofKind('campaign');
      expect(more).toHaveLength(0);
      expect(campaign!.accountId).toBe(active);
      expect(campaign!.created).toMatchObject({ objective: 'BRAND_AWARENESS', status: 'PAUSED' });
      expect(campaign!.fields.status).toBe('ACTIVE');
      const paths = snap.state.calls.map((c) => `${c.method} ${c.path}`);
      const lastAd = paths.findLastIndex((p) => /^POST \/adsquads\/.+\/ads$/.test(p));
      expect(
        paths.findLastIndex((p) => p === `PUT /adaccounts/${active}/campaigns`),
      ).toBeGreaterThan(lastAd);
      const [storiesSquad, discoverSquad] = snap.state.ofKind('adsquad');
      expect(storiesSquad!.fields).toMatchObject({
        campaign_id: campaign!.id,
        type: 'SNAP_ADS',
        placement_v2: { config: 'CUSTOM', snapchat_positions: ['INTERSTITIAL_USER'] },
        optimization_goal: 'IMPRESSIONS',
        billing_event: 'IMPRESSION',
        lifetime_budget_micro: 900_000_000,
        bid_strategy: 'LOWEST_COST_WITH_MAX_BID',
        bid_micro: 4_250_000,
        targeting: { geos: [{ country_code: 'gb' }, { country_code: 'ie' }] },
      });
      expect(discoverSquad!.fields).toMatchObject({
        placement_v2: { snapchat_positions: ['INTERSTITIAL_CONTENT', 'FEED'] },
        lifetime_budget_micro: 300_000_000,
        bid_strategy: 'AUTO_BID',
      });
      // The image was read from the buyer's host and uploaded as a file.
      const [media] = snap.state.ofKind('media');
      expect(media!.fields.media_status).toBe('READY');
      expect(media!.file).toEqual({ bytes: images.png.length, type: 'image/png' });
      expect(images.requests).toContain('/trail.png');
      expect(snap.state.ofKind('media').map((m) => m.file?.bytes)).toContain(2 << 20);
      const [creative] = snap.state.ofKind('creative');
      expect(creative!.fields).toMatchObject({
        type: 'WEB_VIEW',
        headline: 'Trail season starts now',
        brand_name: 'Acme Snap Ads',
        top_snap_media_id: media!.id,
        web_view_properties: { url: 'https://acmeoutdoor.example/trail' },
      });
      const ad = snap.state.ofKind('ad').find((a) => a.fields.ad_squad_id === storiesSquad!.id);
      expect(ad!.fields).toMatchObject({ creative_id: creative!.id, type: 'REMOTE_WEBPAGE' });

      const paused = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        paused: true,
      });
      expect(paused.isError, JSON.stringify(paused)).toBe(false);
      expect(campaign!.fields).toMatchObject({ status: 'PAUSED', name: campaign!.created.name });
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(listed.media_buys[0].status, JSON.stringify(listed)).toBe('paused');

      // A budget and flight change: the campaign and each squad put back whole with the new
      // end, the stories package's squad with its new lifetime budget.
      const storiesPackage = listed.media_buys[0].packages.find(
        (p: { budget: number }) => p.budget === 900,
      );
      const newEnd = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd,
        packages: [{ package_id: storiesPackage.package_id, budget: 1250 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      expect(campaign!.fields).toMatchObject({ end_time: newEnd, status: 'PAUSED' });
      expect(storiesSquad!.fields).toMatchObject({
        lifetime_budget_micro: 1_250_000_000,
        end_time: newEnd,
        bid_micro: 4_250_000,
        targeting: { geos: [{ country_code: 'gb' }, { country_code: 'ie' }] },
      });
      expect(discoverSquad!.fields).toMatchObject({
        lifetime_budget_micro: 300_000_000,
        end_time: newEnd,
      });

      snap.state.deliver(storiesSquad!.id, { impressions: 30_000, swipes: 410, spend: 127.5 });
      snap.state.deliver(discoverSquad!.id, { impressions: 5_000, swipes: 20, spend: 21.25 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 35_000,
        clicks: 430,
        spend: 148.75,
      });

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.deleted).toBe(true);
      const after = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(after.media_buys[0].status, JSON.stringify(after)).toBe('canceled');
    } finally {
      await agent.close();
    }

    const view = await h.call('GET', `${sources}/snap/adapter`, { key: sf.seller.key });
    const issued = [...snap.state.tokens.keys(), ...snap.state.refreshTokens.keys()];
    for (const secret of [...issued, snap.state.options.clientSecret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('Snap answering 429 is tried again a second later; still limited reaches the buyer as RATE_LIMITED', async () => {
    const { agent, products } = await liveSnapStorefront();
    try {
      const limit = { request_status: 'ERROR', error_code: 'E4029', debug_message: 'Too many' };
      snap.state.failNext(429, limit);
      const afterOne = await products();
      expect(afterOne.isError, JSON.stringify(afterOne)).toBe(false);
      expect(afterOne.products.length).toBeGreaterThan(0);

      snap.state.failNext(500, { request_status: 'ERROR', error_code: 'E5000' });
      const afterOutage = await products();
      expect(afterOutage.isError, JSON.stringify(afterOutage)).toBe(false);

      snap.state.failNext(429, limit);
      snap.state.failNext(429, limit);
      const limited = await products();
      const text = JSON.stringify(limited);
      expect(text).toContain('RATE_LIMITED');
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('Too many');
    } finally {
      await agent.close();
    }
  });

  it('a creative without an image is refused before Snap hears of the buy', async () => {
    const { agent, products } = await liveSnapStorefront();
    try {
      const [product] = (await products()).products;
      const campaigns = snap.state.ofKind('campaign').length;
      const { image: _dropped, ...assets } = snapCreative(images.url).assets;
      const refused = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 100,
            targeting_overlay: { geo_countries: ['GB'] },
            creatives: [{ ...snapCreative(images.url), assets }],
          },
        ],
      });
      expect(JSON.stringify(refused)).toContain('INVALID_REQUEST');
      expect(snap.state.ofKind('campaign')).toHaveLength(campaigns);
    } finally {
      await agent.close();
    }
  });

  it('an hour-long access token is refreshed with the refresh token once it has ended', async () => {
    const refreshes = () => snap.state.calls.filter((c) => c.grant === 'refresh_token').length;
    const before = refreshes();
    snap.state.options.accessTokenSeconds = 3;
    let live: Awaited<ReturnType<typeof liveSnapStorefront>>;
    try {
      live = await liveSnapStorefront();
    } finally {
      snap.state.options.accessTokenSeconds = undefined;
    }
    try {
      await pastTokenEnd(live.connection.expiresAt);
      const found = await live.products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(found.products.length).toBeGreaterThan(0);
      expect(refreshes()).toBeGreaterThan(before);
    } finally {
      await live.agent.close();
    }
  });

  it('access removed at Snap makes the source need reconnecting and blocks readiness; declining consent leaves it so', async () => {
    const { sf, agent, products } = await liveSnapStorefront();
    try {
      snap.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/snap/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      snap.state.consent = 'deny';
      try {
        const started = await h.call('POST', `${sources}/snap/adapter/connect`, {
          key: sf.seller.key,
        });
        const page = await consentInBrowser(started.body.data.authorizationUrl);
        expect(page.status).toBe(400);
      } finally {
        snap.state.consent = 'approve';
      }
      await connectSnap(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });
});
