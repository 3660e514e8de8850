import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import { startImageHost } from '../../fakes/image-host.js';
import {
  consentInBrowser,
  liveBuyerAgent,
  liveStorefront,
  pastTokenEnd,
  sources,
} from './support.js';
import {
  connectPinterest,
  pinCreative,
  pinterestEnv,
  pinterestStorefront,
} from './pinterest-support.js';

let h: Harness;
let base: string;
let pinterest: FakePinterest;

beforeAll(async () => {
  pinterest = await startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' });
  h = await createHarness(pinterestEnv(pinterest));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  pinterest.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await pinterest?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const livePinterestStorefront = () =>
  liveStorefront(h, base, pinterestStorefront, connectPinterest, 'Pinterest home feed');

describe('a storefront selling through its Pinterest ad account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at Pinterest and reports delivery', async () => {
    const sf = await pinterestStorefront(h);
    const connected = await connectPinterest(h, sf.seller.key);
    // The account the user manages is chosen; the one they may only analyse cannot buy.
    expect(connected.selectedAccount).toMatchObject({ id: '549755885175', currency: 'USD' });
    expect(connected.accounts.map((a: { status: string }) => a.status)).toEqual([
      'active',
      'suspended',
    ]);
    // A 30-day access token, refreshed before it ends.
    const days = (Date.parse(connected.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    const exchange = pinterest.state.calls.find((c) => c.grant === 'authorization_code');
    expect(exchange).toBeDefined();

    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Pinterest search ads for people planning a patio',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const [search, ...rest] = found.products;
      expect(search.name).toBe('Pinterest search results');
      expect(search.pricing_options[0].currency).toBe('USD');
      const feed = rest.find((p: { name: string }) => p.name.includes('home feed'));

      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 21 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: search.product_id,
            pricing_option_id: search.pricing_options[0].pricing_option_id,
            budget: 1200,
            bid_price: 6.5,
            targeting_overlay: { geo_countries: ['US', 'CA'] },
            creatives: [pinCreative],
          },
          {
            product_id: feed.product_id,
            pricing_option_id: feed.pricing_options[0].pricing_option_id,
            budget: 800,
            targeting_overlay: { geo_countries: ['GB'] },
            creatives: [{ ...pinCreative, creative_id: 'patio-pin-feed' }],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What Pinterest Ads Manager would show: one campaign, created paused and set active once
      // its ad groups and ads existed; an ad group per package; an ad-only Pin and an ad each.
      const [campaign, ...more] = pinterest.state.ofKind('campaign');
      expect(more).toHaveLength(0);
      expect(campaign!.accountId).toBe('549755885175');
      expect(campaign!.created).toMatchObject({ objective_type: 'AWARENESS', status: 'PAUSED' });
      expect(campaign!.fields.status).toBe('ACTIVE');
      const lastAd = pinterest.state.calls
        .map((c) => c.path)
        .lastIndexOf('/ad_accounts/549755885175/ads');
      const activated = pinterest.state.calls.findIndex(
        (c) => c.method === 'PATCH' && c.path.endsWith('/campaigns'),
      );
      expect(activated).toBeGreaterThan(lastAd);
      const [searchGroup, feedGroup] = pinterest.state.ofKind('ad_group');
      expect(searchGroup!.fields).toMatchObject({
        campaign_id: campaign!.id,
        placement_group: 'SEARCH',
        budget_type: 'LIFETIME',
        budget_in_micro_currency: 1_200_000_000,
        billable_event: 'IMPRESSION',
        bid_strategy_type: 'MAX_BID',
        bid_in_micro_currency: 6_500_000,
        targeting_spec: { LOCATION: ['US', 'CA'] },
      });
      expect(feedGroup!.fields).toMatchObject({
        placement_group: 'BROWSE',
        budget_in_micro_currency: 800_000_000,
        bid_strategy_type: 'AUTOMATIC_BID',
        targeting_spec: { LOCATION: ['GB'] },
      });
      const pins = pinterest.state.ofKind('pin', '549755885175');
      expect(pins).toHaveLength(2);
      expect(pins[0]!.fields).toMatchObject({
        title: 'Patio refresh',
        description: 'Ideas for a patio that lasts all summer',
        link: 'https://acmeoutdoor.example/patio',
        media_source: {
          source_type: 'image_url',
          url: 'https://cdn.acmeoutdoor.example/patio.jpg',
        },
      });
      // Ad-only: on no board.
      expect(pins[0]!.fields.board_id).toBeUndefined();
      const ad = pinterest.state.ofKind('ad').find((a) => a.fields.ad_group_id === searchGroup!.id);
      expect(ad!.fields).toMatchObject({ creative_type: 'REGULAR', pin_id: pins[0]!.id });

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

      // A budget and flight change: the campaign and every ad group take the new end, the
      // search package's ad group its new lifetime budget.
      const searchPackage = listed.media_buys[0].packages.find(
        (p: { product_id: string }) => p.product_id === search.product_id,
      );
      const newEnd = new Date(Date.now() + 35 * 86_400_000).toISOString();
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd,
        packages: [{ package_id: searchPackage.package_id, budget: 1800 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      const endSeconds = Math.floor(Date.parse(newEnd) / 1000);
      expect(campaign!.fields.end_time).toBe(endSeconds);
      expect(searchGroup!.fields).toMatchObject({
        budget_in_micro_currency: 1_800_000_000,
        end_time: endSeconds,
      });
      expect(feedGroup!.fields).toMatchObject({
        budget_in_micro_currency: 800_000_000,
        end_time: endSeconds,
      });

      pinterest.state.deliver(searchGroup!.id, { impressions: 41_000, clicks: 520, spend: 266.5 });
      pinterest.state.deliver(feedGroup!.id, { impressions: 9_000, clicks: 61, spend: 40.25 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 50_000,
        clicks: 581,
        spend: 306.75,
      });

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.fields.status).toBe('ARCHIVED');
    } finally {
      await agent.close();
    }

    // No token Pinterest issued, nor the app's secret, is in any answer or log line.
    const view = await h.call('GET', `${sources}/pinterest/adapter`, { key: sf.seller.key });
    const issued = [...pinterest.state.tokens.keys(), ...pinterest.state.refreshTokens.keys()];
    for (const secret of [...issued, pinterest.state.options.clientSecret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('two storefronts sharing Pinterest each buy in their own ad account, and neither buyer sees the other’s buys', async () => {
    const a = await livePinterestStorefront();
    pinterest.state.consentAccounts = ['549755885177'];
    let b: Awaited<ReturnType<typeof livePinterestStorefront>>;
    try {
      b = await livePinterestStorefront();
    } finally {
      pinterest.state.consentAccounts = ['549755885175', '549755885176'];
    }
    expect(a.connection.selectedAccount.id).toBe('549755885175');
    expect(b.connection.selectedAccount).toMatchObject({ id: '549755885177', currency: 'GBP' });
    try {
      const buy = async (live: typeof a) => {
        const [product] = (await live.products()).products;
        const bought = await live.agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account,
          brand: { domain: 'acmeoutdoor.example' },
          start_time: 'asap',
          end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          packages: [
            {
              product_id: product.product_id,
              pricing_option_id: product.pricing_options[0].pricing_option_id,
              budget: 200,
              targeting_overlay: { geo_countries: ['GB'] },
              creatives: [pinCreative],
            },
          ],
        });
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        return bought.media_buy_id as string;
      };
      const before = pinterest.state.ofKind('campaign', '549755885177').length;
      const fromA = await buy(a);
      await buy(b);
      expect(pinterest.state.ofKind('campaign', '549755885177')).toHaveLength(before + 1);
      const stolen = await b.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(stolen.media_buys ?? []).toHaveLength(0);
      const own = await a.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(own.media_buys).toHaveLength(1);
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });

  it('makes a video Pin ad: the video read from the buyer, stored at Pinterest, its image the cover', async () => {
    const images = await startImageHost();
    const { agent, products } = await livePinterestStorefront();
    try {
      const [product] = (await products()).products;
      expect(product.format_ids.map((f: { id: string }) => f.id)).toContain('video_standard');
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 400,
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [
              {
                creative_id: 'patio-video',
                name: 'Patio in motion',
                format_id: {
                  agent_url: 'https://creative.adcontextprotocol.org',
                  id: 'video_standard',
                },
                assets: {
                  video: {
                    asset_type: 'video',
                    url: `${images.url}/patio.mp4`,
                    width: 1000,
                    height: 1500,
                    duration_ms: 15_000,
                  },
                  image: {
                    asset_type: 'image',
                    url: `${images.url}/cover.png`,
                    width: 1000,
                    height: 1500,
                  },
                  click_url: {
                    asset_type: 'url',
                    url_type: 'clickthrough',
                    url: 'https://acmeoutdoor.example/patio',
                  },
                },
              },
            ],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // The video went to Pinterest's storage (not its API), whole, and was processed.
      const [media] = [...pinterest.state.media.values()].slice(-1);
      expect(media).toMatchObject({ status: 'succeeded', bytes: (256 << 10) + 12 });
      expect(images.requests).toContain('/patio.mp4');
      const pin = pinterest.state.ofKind('pin').at(-1)!;
      expect(pin.fields.media_source).toMatchObject({
        source_type: 'video_id',
        cover_image_url: `${images.url}/cover.png`,
      });
      const ad = pinterest.state.ofKind('ad').at(-1)!;
      expect(ad.fields).toMatchObject({ creative_type: 'VIDEO', pin_id: pin.id });
    } finally {
      await agent.close();
      await images.close();
    }
  });

  it('a creative Pinterest cannot show is refused before Pinterest hears of the buy', async () => {
    const { agent, products } = await livePinterestStorefront();
    try {
      const [product] = (await products()).products;
      const campaigns = pinterest.state.ofKind('campaign').length;
      const { click_url: _dropped, ...assets } = pinCreative.assets;
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
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [{ ...pinCreative, assets }],
          },
        ],
      });
      expect(JSON.stringify(refused)).toContain('INVALID_REQUEST');
      expect(JSON.stringify(refused)).toContain('click-through');
      expect(pinterest.state.ofKind('campaign')).toHaveLength(campaigns);
    } finally {
      await agent.close();
    }
  });

  it('Pinterest answering 429 reaches the buyer as RATE_LIMITED; a 500 is retried once', async () => {
    const { agent, products } = await livePinterestStorefront();
    try {
      pinterest.state.failNext(503, { code: 4197, message: 'The endpoint has been ramped down' });
      const afterOutage = await products();
      expect(afterOutage.isError, JSON.stringify(afterOutage)).toBe(false);
      expect(afterOutage.products.length).toBeGreaterThan(0);

      pinterest.state.failNext(429, { code: 8, message: 'This request exceeded a rate limit.' });
      const limited = await products();
      const text = JSON.stringify(limited);
      expect(text).toContain('RATE_LIMITED');
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('exceeded a rate limit');
      // Throttles are reported at once, not retried: the one injected answer was all it took.
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('an access token near its end is refreshed with the rotating refresh token before a call', async () => {
    pinterest.state.options.accessTokenSeconds = 4;
    const refreshes = () => pinterest.state.calls.filter((c) => c.grant === 'refresh_token').length;
    const before = refreshes();
    let live: Awaited<ReturnType<typeof livePinterestStorefront>>;
    try {
      live = await livePinterestStorefront();
    } finally {
      pinterest.state.options.accessTokenSeconds = undefined;
    }
    try {
      // Past the first token's end: only a refreshed grant can still call Pinterest. Two
      // buyers' calls at once refresh once: the refresh token rotates, so a second refresh with
      // the same one would be refused and lose the connection.
      await pastTokenEnd(live.connection.expiresAt);
      const both = await Promise.all([live.products(), live.products()]);
      for (const found of both) {
        expect(found.isError, JSON.stringify(found)).toBe(false);
        expect(found.products.length).toBeGreaterThan(0);
      }
      expect(refreshes()).toBe(before + 1);
      const view = await h.call('GET', `${sources}/pinterest/adapter`, {
        key: live.sf.seller.key,
      });
      expect(view.body.data.status).toBe('CONNECTED');
      expect(Date.parse(view.body.data.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    } finally {
      await live.agent.close();
    }
  });

  it('access removed at Pinterest makes the source need reconnecting and blocks readiness; declining consent leaves it unconnected', async () => {
    const { sf, agent, products } = await livePinterestStorefront();
    try {
      pinterest.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/pinterest/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      pinterest.state.consent = 'deny';
      try {
        const started = await h.call('POST', `${sources}/pinterest/adapter/connect`, {
          key: sf.seller.key,
        });
        expect(new URL(started.body.data.authorizationUrl).searchParams.get('scope')).toContain(
          'ads:write',
        );
        const page = await consentInBrowser(started.body.data.authorizationUrl);
        expect(page.status).toBe(400);
      } finally {
        pinterest.state.consent = 'approve';
      }
      const still = await h.call('GET', `${sources}/pinterest/adapter`, { key: sf.seller.key });
      expect(still.body.data.status).toBe('NEEDS_RECONNECT');

      await connectPinterest(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });
});
