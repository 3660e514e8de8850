import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import {
  consentInBrowser,
  liveBuyerAgent,
  liveStorefront,
  pastTokenEnd,
  sources,
} from './support.js';
import { connectReddit, postCreative, redditEnv, redditStorefront } from './reddit-support.js';

let h: Harness;
let base: string;
let reddit: FakeReddit;

beforeAll(async () => {
  reddit = await startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' });
  h = await createHarness(redditEnv(reddit));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  reddit.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await reddit?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const liveRedditStorefront = () =>
  liveStorefront(h, base, redditStorefront, connectReddit, 'Reddit feed');
const inWeeks = (n: number) => new Date(Date.now() + n * 7 * 86_400_000).toISOString();

const oneBuy = (
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  key = randomUUID(),
) => ({
  idempotency_key: key,
  account,
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: inWeeks(1),
  packages: [
    {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 300,
      targeting_overlay: { geo_countries: ['US'] },
      creatives: [postCreative],
    },
  ],
});

describe('a storefront selling through its Reddit ad account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at Reddit and reports delivery', async () => {
    const sf = await redditStorefront(h);
    const connected = await connectReddit(h, sf.seller.key);
    // The account in good standing is chosen; the suspended one is listed as such.
    expect(connected.selectedAccount).toMatchObject({ id: 'a2_acme1', currency: 'USD' });
    expect(connected.accounts.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual(
      [
        ['a2_acme1', 'active'],
        ['a2_acme2', 'suspended'],
      ],
    );
    // A permanent grant: an hour's access token, renewed with the refresh token before it ends.
    const minutes = (Date.parse(connected.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThan(61);

    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Reddit conversation pages where hikers discuss gear',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const [conversations, ...rest] = found.products;
      expect(conversations.name).toBe('Reddit conversation pages');
      expect(conversations.pricing_options[0].currency).toBe('USD');
      const feed = rest.find((p: { name: string }) => p.name === 'Reddit feed');

      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: inWeeks(3),
        packages: [
          {
            product_id: conversations.product_id,
            pricing_option_id: conversations.pricing_options[0].pricing_option_id,
            budget: 1500,
            bid_price: 7.25,
            targeting_overlay: { geo_countries: ['US', 'CA'] },
            creatives: [postCreative],
          },
          {
            product_id: feed.product_id,
            pricing_option_id: feed.pricing_options[0].pricing_option_id,
            budget: 500,
            targeting_overlay: { geo_countries: ['GB'] },
            creatives: [{ ...postCreative, creative_id: 'trail-post-feed' }],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What Reddit Ads Manager would show: one campaign, made paused and set active once its
      // ad groups and ads existed; an ad group per package; a promoted post and an ad each.
      const [campaign, ...more] = reddit.state.ofKind('campaign');
      expect(more).toHaveLength(0);
      expect(campaign!.accountId).toBe('a2_acme1');
      expect(campaign!.created).toMatchObject({
        objective: 'IMPRESSIONS',
        configured_status: 'PAUSED',
      });
      // Named with the source's own buy id, by which a lost answer is found again.
      expect(campaign!.fields.name).toMatch(/^Storefront buy \[mb_[0-9a-f-]{36}\]$/);
      expect(campaign!.fields.configured_status).toBe('ACTIVE');
      const [conversationGroup, feedGroup] = reddit.state.ofKind('ad_group');
      expect(conversationGroup!.fields).toMatchObject({
        campaign_id: campaign!.id,
        goal_type: 'LIFETIME_SPEND',
        goal_value: 1_500_000_000,
        bid_strategy: 'MANUAL_BIDDING',
        bid_type: 'CPM',
        bid_value: 7_250_000,
        targeting: { geolocations: ['US', 'CA'], locations: ['COMMENTS_PAGE'] },
      });
      expect(feedGroup!.fields).toMatchObject({
        goal_value: 500_000_000,
        bid_strategy: 'MAXIMIZE_VOLUME',
        targeting: { geolocations: ['GB'], locations: ['FEED'] },
      });
      const posts = reddit.state.ofKind('post', 'a2_acme1');
      expect(posts).toHaveLength(2);
      expect(posts[0]!.fields).toMatchObject({
        profile_id: 't2_acmeoutdoor',
        type: 'IMAGE',
        headline: 'Gear that keeps up with the trail',
        content: [
          {
            media_url: 'https://cdn.acmeoutdoor.example/trail.jpg',
            destination_url: 'https://acmeoutdoor.example/trail',
          },
        ],
      });
      const ad = reddit.state
        .ofKind('ad')
        .find((a) => a.fields.ad_group_id === conversationGroup!.id);
      expect(ad!.fields).toMatchObject({ post_id: posts[0]!.id, configured_status: 'ACTIVE' });
      // Every call carried our own User-Agent (Reddit blocks generic ones).
      expect(new Set(reddit.state.calls.map((c) => c.userAgent))).toEqual(
        new Set(['server:interchange-adapter:v1 (AdCP storefront)']),
      );

      const paused = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        paused: true,
      });
      expect(paused.isError, JSON.stringify(paused)).toBe(false);
      expect(campaign!.fields.configured_status).toBe('PAUSED');
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(listed.media_buys[0].status, JSON.stringify(listed)).toBe('paused');

      // A budget and flight change reaches the ad groups: the conversation package's lifetime
      // goal, and every ad group's end.
      const [booked] = listed.media_buys;
      const conversationPackage = booked.packages.find(
        (p: { product_id: string }) => p.product_id === conversations.product_id,
      );
      const newEnd = inWeeks(5);
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd,
        packages: [{ package_id: conversationPackage.package_id, budget: 2000 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      const redditTime = newEnd.replace(/\.\d{3}Z$/, 'Z');
      expect(conversationGroup!.fields).toMatchObject({
        goal_value: 2_000_000_000,
        end_time: redditTime,
      });
      expect(feedGroup!.fields).toMatchObject({ goal_value: 500_000_000, end_time: redditTime });
      const relisted = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(
        relisted.media_buys[0].packages.find(
          (p: { package_id: string }) => p.package_id === conversationPackage.package_id,
        ).budget,
        JSON.stringify(relisted),
      ).toBe(2000);
      // An end already past is refused before Reddit hears of it.
      const patches = reddit.state.calls.filter((c) => c.method === 'PATCH').length;
      const past = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: new Date(Date.now() - 86_400_000).toISOString(),
      });
      expect(JSON.stringify(past)).toMatch(/end_time/);
      expect(past.isError || past.errors?.length, JSON.stringify(past)).toBeTruthy();
      expect(reddit.state.calls.filter((c) => c.method === 'PATCH')).toHaveLength(patches);

      reddit.state.deliver(conversationGroup!.id, {
        impressions: 52_000,
        clicks: 610,
        spend: 377.1,
      });
      reddit.state.deliver(feedGroup!.id, { impressions: 8_000, clicks: 44, spend: 58.4 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 60_000,
        clicks: 654,
        spend: 435.5,
      });

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.fields.configured_status).toBe('ARCHIVED');
    } finally {
      await agent.close();
    }

    // No token Reddit issued, nor the app's secret, is in any answer or log line.
    const view = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
    const issued = [...reddit.state.tokens.keys(), ...reddit.state.refreshTokens.keys()];
    for (const secret of [...issued, reddit.state.options.clientSecret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('a consent link followed in another browser names the receiving source and connects nothing until confirmed', async () => {
    const sf = await redditStorefront(h);
    const started = await h.call('POST', `${sources}/reddit/adapter/connect`, {
      key: sf.seller.key,
    });
    // Someone else's browser (no binding from the console) approves at Reddit.
    const declined = await consentInBrowser(started.body.data.authorizationUrl, { confirm: false });
    expect(declined.status).toBe(200);
    expect(declined.confirmation).toContain('Connect this Reddit account?');
    expect(declined.confirmation).toContain('<strong>reddit ads</strong> (<code>reddit</code>)');
    expect(declined.confirmation).toContain('If someone sent you the link, close this page');
    const view = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('PENDING');
    // The one who started it confirms: connected, and the state cannot be used again.
    const again = await h.call('POST', `${sources}/reddit/adapter/connect`, { key: sf.seller.key });
    const confirmed = await consentInBrowser(again.body.data.authorizationUrl);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Provider account connected');
    const connected = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
    expect(connected.body.data.status).toBe('CONNECTED');
  });

  it('two storefronts sharing Reddit each buy in their own ad account, and neither buyer sees the other’s buys', async () => {
    const a = await liveRedditStorefront();
    reddit.state.consentAccounts = ['a2_other'];
    let b: Awaited<ReturnType<typeof liveRedditStorefront>>;
    try {
      b = await liveRedditStorefront();
    } finally {
      reddit.state.consentAccounts = ['a2_acme1', 'a2_acme2'];
    }
    expect(a.connection.selectedAccount.id).toBe('a2_acme1');
    expect(b.connection.selectedAccount).toMatchObject({ id: 'a2_other', currency: 'GBP' });
    try {
      const buy = async (live: typeof a) => {
        const [product] = (await live.products()).products;
        const bought = await live.agent.call('create_media_buy', oneBuy(product));
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        return bought.media_buy_id as string;
      };
      const before = reddit.state.ofKind('campaign', 'a2_other').length;
      const fromA = await buy(a);
      await buy(b);
      expect(reddit.state.ofKind('campaign', 'a2_other')).toHaveLength(before + 1);
      expect(reddit.state.ofKind('post', 'a2_other')[0]!.fields.profile_id).toBe('t2_otherbrand');
      const stolen = await b.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(stolen.media_buys ?? []).toHaveLength(0);
      const own = await a.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(own.media_buys).toHaveLength(1);
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });

  it('Reddit answering 429 reaches the buyer as RATE_LIMITED; a 500 is retried once', async () => {
    const { agent, products } = await liveRedditStorefront();
    try {
      reddit.state.failNext(500, { error: { code: 500, message: 'Internal Server Error' } });
      const afterOutage = await products();
      expect(afterOutage.isError, JSON.stringify(afterOutage)).toBe(false);
      expect(afterOutage.products.length).toBeGreaterThan(0);

      reddit.state.failNext(429, { error: { code: 429, message: 'Too Many Requests' } });
      const limited = await products();
      const text = JSON.stringify(limited);
      expect(text).toContain('RATE_LIMITED');
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('Too Many Requests');
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('an access token near its end is refreshed with the same refresh token before a call', async () => {
    reddit.state.options.accessTokenSeconds = 4;
    const refreshes = () => reddit.state.calls.filter((c) => c.grant === 'refresh_token').length;
    const before = refreshes();
    let live: Awaited<ReturnType<typeof liveRedditStorefront>>;
    try {
      live = await liveRedditStorefront();
    } finally {
      reddit.state.options.accessTokenSeconds = undefined;
    }
    try {
      await pastTokenEnd(live.connection.expiresAt);
      const both = await Promise.all([live.products(), live.products()]);
      for (const found of both) {
        expect(found.isError, JSON.stringify(found)).toBe(false);
        expect(found.products.length).toBeGreaterThan(0);
      }
      expect(refreshes()).toBe(before + 1);
      const view = await h.call('GET', `${sources}/reddit/adapter`, { key: live.sf.seller.key });
      expect(view.body.data.status).toBe('CONNECTED');
    } finally {
      await live.agent.close();
    }
  });

  it('access removed at Reddit makes the source need reconnecting and blocks readiness; disconnecting revokes the grant', async () => {
    const { sf, agent, products } = await liveRedditStorefront();
    try {
      reddit.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      const started = await h.call('POST', `${sources}/reddit/adapter/connect`, {
        key: sf.seller.key,
      });
      const consent = new URL(started.body.data.authorizationUrl);
      expect(consent.searchParams.get('duration')).toBe('permanent');
      expect(consent.searchParams.get('scope')).toContain('adsedit');
      expect((await consentInBrowser(consent.toString())).status).toBe(200);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);

      const revokes = () =>
        reddit.state.calls.filter((c) => c.path === '/api/v1/revoke_token').length;
      const before = revokes();
      const gone = await h.call('DELETE', `${sources}/reddit/adapter/connection`, {
        key: sf.seller.key,
      });
      expect(gone.status, gone.text).toBeLessThan(300);
      expect(revokes()).toBe(before + 1);
      const after = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
      expect(after.body.data.status).toBe('DISCONNECTED');
    } finally {
      await agent.close();
    }
  });
});
