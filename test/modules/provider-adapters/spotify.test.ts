import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSpotify, type FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { consentInBrowser, liveBuyerAgent, liveStorefront, sources } from './support.js';
import {
  connectSpotify,
  spotifyCreative,
  spotifyEnv,
  spotifyStorefront,
} from './spotify-support.js';

let h: Harness;
let base: string;
let spotify: FakeSpotify;
let host: ImageHost;

beforeAll(async () => {
  spotify = await startFakeSpotify({
    clientId: 'spotify-client-1',
    clientSecret: 'spot-secret-42',
  });
  host = await startImageHost();
  h = await createHarness(spotifyEnv(spotify));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  spotify.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await spotify?.close();
  await host?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const active = '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b01';
const liveSpotifyStorefront = () =>
  liveStorefront(h, base, spotifyStorefront, connectSpotify, 'Spotify audio ads in podcasts');
const campaignsPost = `POST /ad_accounts/${active}/campaigns`;

/** A create_media_buy of one package of `product` with `creatives`, under `key`. */
type Product = { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };
const oneBuy = (product: Product, creatives: unknown[], key = randomUUID()) => ({
  idempotency_key: key,
  account,
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  packages: [
    {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 250,
      targeting_overlay: { geo_countries: ['DE'] },
      creatives,
    },
  ],
});

describe('a storefront selling through its Spotify ad account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at Spotify and reports delivery', async () => {
    const sf = await spotifyStorefront(h);
    spotify.state.pageSize = 1; // the ad accounts come one a page
    const connected = await connectSpotify(h, sf.seller.key).finally(() => {
      spotify.state.pageSize = 50;
    });
    // The active account is chosen; the suspended one is listed but cannot buy.
    expect(connected.selectedAccount).toMatchObject({ id: active, currency: 'EUR' });
    expect(connected.accounts.map((a: { status: string }) => a.status)).toEqual([
      'active',
      'suspended',
    ]);
    // Spotify's access tokens last an hour: refreshed before they end.
    expect(Date.parse(connected.expiresAt) - Date.now()).toBeLessThan(61 * 60_000);
    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'audio ads between songs for music listeners',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const [music, ...rest] = found.products;
      expect(music.name).toBe('Spotify audio ads in music');
      expect(music.channels).toEqual(['streaming_audio']);
      expect(music.pricing_options[0].currency).toBe('EUR');
      expect(music.format_ids.map((f: { id: string }) => f.id)).toContain('audio_standard_30s');
      const podcasts = rest.find(
        (p: { name: string }) => p.name === 'Spotify audio ads in podcasts',
      );

      // Spotify makes the campaign but its answer is lost: the adapter finds it by name.
      spotify.state.failNext({
        status: 502,
        body: { error: { code: 'BAD_GATEWAY', message: 'upstream reset' } },
        match: campaignsPost,
        afterActing: true,
      });
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: music.product_id,
            pricing_option_id: music.pricing_options[0].pricing_option_id,
            budget: 900,
            bid_price: 12.5,
            targeting_overlay: { geo_countries: ['DE'] },
            creatives: [spotifyCreative(host.url)],
          },
          {
            product_id: podcasts.product_id,
            pricing_option_id: podcasts.pricing_options[0].pricing_option_id,
            budget: 300,
            targeting_overlay: { geo_countries: ['AT'] },
            creatives: [spotifyCreative(host.url, 'trail-audio-podcast', 'long-spot.mp3')],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What Spotify Ads Manager would show: one campaign, paused while its ad sets and ads
      // were made and active after the last ad; an ad set per package; assets and an ad each.
      const [campaign, ...more] = spotify.state.ofKind('campaign');
      expect(more).toHaveLength(0);
      expect(campaign!.accountId).toBe(active);
      expect(campaign!.fields).toMatchObject({ objective: 'REACH', status: 'ACTIVE' });
      expect(campaign!.statuses).toEqual(['ACTIVE', 'PAUSED', 'ACTIVE']);
      const paths = spotify.state.calls.map((c) => `${c.method} ${c.path}`);
      const campaignPatch = `PATCH /ad_accounts/${active}/campaigns/${campaign!.id}`;
      const firstAdSet = paths.indexOf(`POST /ad_accounts/${active}/ad_sets`);
      expect(paths.indexOf(campaignPatch)).toBeLessThan(firstAdSet);
      expect(paths.lastIndexOf(campaignPatch)).toBeGreaterThan(
        paths.lastIndexOf(`POST /ad_accounts/${active}/ads`),
      );
      const [musicSet, podcastSet, ...moreSets] = spotify.state.ofKind('ad_set');
      expect(moreSets).toHaveLength(0);
      expect(musicSet!.fields).toMatchObject({
        campaign_id: campaign!.id,
        asset_format: 'AUDIO',
        category: 'ADV_4_2',
        budget: { micro_amount: 900_000_000, type: 'LIFETIME' },
        bid_strategy: 'MAX_BID',
        bid_micro_amount: 12_500_000,
        targets: { geo_targets: { country_code: 'DE' }, placements: ['MUSIC'] },
      });
      expect(podcastSet!.fields).toMatchObject({
        budget: { micro_amount: 300_000_000 },
        bid_strategy: 'AUTOBID',
        targets: { geo_targets: { country_code: 'AT' }, placements: ['PODCAST'] },
      });
      // The audio and the companion image were read from the buyer's host and uploaded.
      const uploaded = spotify.state.ofKind('asset').map((a) => a.file);
      expect(uploaded).toContainEqual({ bytes: host.mp3.length, type: 'audio/mpeg' });
      // A 30-second spot of 1 MiB passes: creative files are read with Spotify's 20 MB cap.
      expect(uploaded).toContainEqual({ bytes: 1 << 20, type: 'audio/mpeg' });
      expect(uploaded).toContainEqual({ bytes: host.png.length, type: 'image/png' });
      expect(host.requests).toEqual(expect.arrayContaining(['/trail.mp3', '/trail.png']));
      const ad = spotify.state.ofKind('ad').find((a) => a.fields.ad_set_id === musicSet!.id);
      const audio = spotify.state
        .ofKind('asset')
        .find((a) => a.id === (ad!.fields.assets as { asset_id: string }).asset_id);
      expect(audio!.fields).toMatchObject({ asset_type: 'AUDIO', status: 'READY' });
      expect(ad!.fields).toMatchObject({
        tagline: 'Trail season starts now',
        advertiser_name: 'Acme Audio',
        call_to_action: {
          key: 'LEARN_MORE',
          clickthrough_url: 'https://acmeoutdoor.example/trail',
        },
      });

      const pause = (paused: boolean) =>
        agent.call('update_media_buy', {
          account,
          media_buy_id: bought.media_buy_id,
          idempotency_key: randomUUID(),
          paused,
        });
      const status = async () =>
        (await agent.call('get_media_buys', { account, media_buy_ids: [bought.media_buy_id] }))
          .media_buys[0].status;
      expect((await pause(true)).isError).toBe(false);
      expect(campaign!.fields.status).toBe('PAUSED');
      expect(await status()).toBe('paused');
      expect((await pause(false)).isError).toBe(false);
      expect(campaign!.fields.status).toBe('ACTIVE');

      // A budget and flight change reaches the ad sets: the music package's lifetime budget,
      // and every ad set's end. A targeting change is refused by name, before Spotify hears of it.
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      const musicPackage = listed.media_buys[0].packages[0];
      const newEnd = new Date(Date.now() + 40 * 86_400_000);
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd.toISOString(),
        packages: [{ package_id: musicPackage.package_id, budget: 3000 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      const spotifyEnd = newEnd.toISOString().replace(/\.\d{3}Z$/, 'Z');
      const changedSet = [musicSet!, podcastSet!].find(
        (s) => (s.fields.budget as { micro_amount: number }).micro_amount === 3_000_000_000,
      );
      expect(changedSet, JSON.stringify([musicSet!.fields, podcastSet!.fields])).toBeDefined();
      expect(musicSet!.fields.end_time).toBe(spotifyEnd);
      expect(podcastSet!.fields.end_time).toBe(spotifyEnd);
      const callsBefore = spotify.state.calls.length;
      const retarget = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        packages: [{ package_id: musicPackage.package_id, bid_price: 9 }],
      });
      expect(retarget.adcp_error).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        message: expect.stringContaining('packages.bid_price'),
      });
      expect(spotify.state.calls.slice(callsBefore).filter((c) => c.method !== 'GET')).toEqual([]);

      // Three days of rows: the report answers two a page, followed by its continuation token.
      spotify.state.deliver(musicSet!.id, { impressions: 20_000, clicks: 150, spend: 250.25 });
      spotify.state.deliver(musicSet!.id, { impressions: 10_000, clicks: 50, spend: 125 });
      spotify.state.deliver(podcastSet!.id, { impressions: 4_000, clicks: 12, spend: 50.5 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 34_000,
        clicks: 212,
        spend: 425.75,
      });

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.fields.status).toBe('ARCHIVED');
      expect(await status()).toBe('canceled');
    } finally {
      await agent.close();
    }

    const view = await h.call('GET', `${sources}/spotify/adapter`, { key: sf.seller.key });
    const issued = [...spotify.state.tokens.keys(), ...spotify.state.refreshTokens.keys()];
    // Tokens were issued (connect and refresh), so the loop checks them, not only the secret.
    expect(issued.length).toBeGreaterThan(1);
    for (const secret of [...issued, spotify.state.options.clientSecret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('Spotify answering 429 reaches the buyer as RATE_LIMITED with its Retry-After; a 5xx is tried again', async () => {
    const { agent, products } = await liveSpotifyStorefront();
    try {
      spotify.state.failNext({ status: 500, body: { error: { code: 'INTERNAL' } } });
      const afterOutage = await products();
      expect(afterOutage.isError, JSON.stringify(afterOutage)).toBe(false);
      expect(afterOutage.products.length).toBeGreaterThan(0);

      const calls = spotify.state.calls.length;
      spotify.state.failNext({
        status: 429,
        body: { error: { code: 'TOO_MANY_REQUESTS', message: 'Slow down, partner' } },
        headers: { 'retry-after': '17' },
      });
      const limited = await products();
      const text = JSON.stringify(limited);
      expect(text).toContain('RATE_LIMITED');
      expect(text).toMatch(/retry_after\\?":17\b/);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('Slow down');
      // Spotify's window is 30 seconds: the throttle was not hammered.
      expect(spotify.state.calls.length - calls).toBe(1);

      spotify.state.failNext({ status: 503, body: {} });
      spotify.state.failNext({ status: 503, body: {} });
      const down = JSON.stringify(await products());
      expect(down).toContain('SERVICE_UNAVAILABLE');
      expect(down).not.toContain('INTERNAL_ERROR');
    } finally {
      await agent.close();
    }
  });

  it('a buy Spotify fails half-way is resumed under the same key without a second campaign', async () => {
    const { agent, products } = await liveSpotifyStorefront();
    try {
      const [product] = (await products()).products;
      const campaigns = spotify.state.ofKind('campaign').length;
      const adSets = spotify.state.ofKind('ad_set').length;
      const outage = {
        status: 503,
        body: { error: { code: 'UNAVAILABLE' } },
        match: 'POST /ad_accounts/' + active + '/ads',
      };
      // The ad's create is sent once a call (then looked up by name): one outage fails the call.
      spotify.state.failNext(outage);
      // The buyer's retry is the same request under the same key.
      const request = oneBuy(product, [spotifyCreative(host.url)]);
      const failed = await agent.call('create_media_buy', request);
      expect(JSON.stringify(failed)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(failed)).toContain('transient');
      // The campaign and its ad set were made (and left paused); the ad was not.
      expect(spotify.state.ofKind('campaign')).toHaveLength(campaigns + 1);
      expect(spotify.state.ofKind('campaign').at(-1)!.fields.status).toBe('PAUSED');
      const ads = spotify.state.ofKind('ad').length;

      const again = await agent.call('create_media_buy', request);
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(spotify.state.ofKind('campaign')).toHaveLength(campaigns + 1);
      expect(spotify.state.ofKind('ad_set')).toHaveLength(adSets + 1);
      expect(spotify.state.ofKind('ad')).toHaveLength(ads + 1);
      expect(spotify.state.ofKind('campaign').at(-1)!.fields.status).toBe('ACTIVE');
    } finally {
      await agent.close();
    }
  });

  it('a creative without audio, a package in two countries or an audio file over 20 MB is refused', async () => {
    const { agent, products } = await liveSpotifyStorefront();
    try {
      const [product] = (await products()).products;
      const campaigns = spotify.state.ofKind('campaign').length;
      const { audio: _dropped, ...assets } = spotifyCreative(host.url).assets;
      const noAudio = await agent.call(
        'create_media_buy',
        oneBuy(product, [{ ...spotifyCreative(host.url), assets }]),
      );
      expect(JSON.stringify(noAudio)).toContain('INVALID_REQUEST');
      const twoCountries = oneBuy(product, [spotifyCreative(host.url)]);
      twoCountries.packages[0]!.targeting_overlay.geo_countries = ['DE', 'AT'];
      expect(JSON.stringify(await agent.call('create_media_buy', twoCountries))).toContain(
        'one country',
      );
      expect(spotify.state.ofKind('campaign')).toHaveLength(campaigns);

      // An audio file over Spotify's 20 MB is refused while it is read, before it is uploaded.
      const uploadedBefore = spotify.state.ofKind('asset').length;
      const huge = await agent.call(
        'create_media_buy',
        oneBuy(product, [spotifyCreative(host.url, 'huge-audio', 'huge.mp3')]),
      );
      expect(JSON.stringify(huge)).toContain('at most 20 MB');
      expect(spotify.state.ofKind('asset')).toHaveLength(uploadedBefore);
    } finally {
      await agent.close();
    }
  });

  it('the access token is refreshed with the refresh token; access removed at Spotify blocks readiness until reconnected, which keeps the operator’s ad category', async () => {
    const refreshes = () => spotify.state.calls.filter((c) => c.grant === 'refresh_token').length;
    const before = refreshes();
    spotify.state.options.accessTokenSeconds = 2;
    let live: Awaited<ReturnType<typeof liveSpotifyStorefront>>;
    try {
      live = await liveSpotifyStorefront();
    } finally {
      spotify.state.options.accessTokenSeconds = undefined;
    }
    const { sf, agent, products, connection } = live;
    try {
      // Past half its life the grant is refreshed before a call (Spotify keeps the refresh token);
      // on a slow machine that may already have happened while the storefront went live. Half
      // of the token's 2 s is counted from when Spotify issued it, not from when the test began.
      const halfLife = Date.parse(connection.expiresAt) - 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, halfLife + 200 - Date.now())));
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(refreshes()).toBeGreaterThan(before);

      // The operator's settings survive the reconnect below.
      const chosen = await h.call('PATCH', `${sources}/spotify/adapter`, {
        key: sf.seller.key,
        body: { adCategory: 'ADV_1_1' },
      });
      expect(chosen.body.data.adCategory).toBe('ADV_1_1');

      spotify.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/spotify/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      spotify.state.consent = 'deny';
      try {
        const started = await h.call('POST', `${sources}/spotify/adapter/connect`, {
          key: sf.seller.key,
        });
        const page = await consentInBrowser(started.body.data.authorizationUrl);
        expect(page.status).toBe(400);
      } finally {
        spotify.state.consent = 'approve';
      }
      await connectSpotify(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
      const reconnected = await h.call('GET', `${sources}/spotify/adapter`, { key: sf.seller.key });
      expect(reconnected.body.data).toMatchObject({ status: 'CONNECTED', adCategory: 'ADV_1_1' });
    } finally {
      await agent.close();
    }
  });

  it('books under the operator’s ad category when the ad account’s industry names none, and refuses one Spotify does not list', async () => {
    const { sf, agent, products } = await liveSpotifyStorefront();
    const acme = spotify.state.accounts.find((a) => a.id === active)!;
    const industry = acme.industry;
    acme.industry = 'Financial Services';
    try {
      const [product] = (await products()).products;
      const campaigns = spotify.state.ofKind('campaign').length;
      const book = () =>
        agent.call('create_media_buy', oneBuy(product, [spotifyCreative(host.url)]));
      const unmatched = await book();
      expect(unmatched.adcp_error, JSON.stringify(unmatched)).toMatchObject({
        code: 'INVALID_REQUEST',
      });
      expect(unmatched.adcp_error.message).toContain('adCategory');

      const setCategory = (adCategory: string | null) =>
        h.call('PATCH', `${sources}/spotify/adapter`, { key: sf.seller.key, body: { adCategory } });
      const unlisted = await setCategory('ADV_9_9');
      expect(unlisted.status, unlisted.text).toBe(200);
      expect(unlisted.body.data.adCategory).toBe('ADV_9_9');
      const refused = await book();
      expect(refused.adcp_error?.message, JSON.stringify(refused)).toContain(
        'ADV_9_9 is not one Spotify lists',
      );
      expect(spotify.state.ofKind('campaign')).toHaveLength(campaigns);

      expect((await setCategory('ADV_1_1')).body.data.adCategory).toBe('ADV_1_1');
      const booked = await book();
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      expect(spotify.state.ofKind('ad_set').at(-1)!.fields.category).toBe('ADV_1_1');

      // Cleared, the account's industry decides again.
      acme.industry = industry;
      expect((await setCategory(null)).body.data.adCategory).toBeNull();
      const again = await book();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(spotify.state.ofKind('ad_set').at(-1)!.fields.category).toBe('ADV_4_2');

      // Only Spotify books under an ad category.
      const meta = await h.call('POST', `${sources}/adapter`, {
        key: sf.seller.key,
        body: { provider: 'meta', name: 'Meta feeds' },
      });
      expect(meta.status, meta.text).toBe(201);
      const wrong = await h.call('PATCH', `${sources}/${meta.body.data.sourceId}/adapter`, {
        key: sf.seller.key,
        body: { adCategory: 'ADV_1_1' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'adCategory' });
    } finally {
      acme.industry = industry;
      await agent.close();
    }
  });
});
