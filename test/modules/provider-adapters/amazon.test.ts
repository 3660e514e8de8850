import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeAmazon, type FakeAmazon } from '../../../src/sandbox/fakes/amazon/server.js';
import { bookedCampaign, metrics } from '../reporting/reporting-support.js';
import {
  consentInBrowser,
  goLive,
  liveBuyerAgent,
  liveStorefront,
  pastTokenEnd,
  sources,
} from './support.js';
import { amazonCreative, amazonEnv, amazonStorefront, connectAmazon } from './amazon-support.js';

let h: Harness;
let base: string;
let amazon: FakeAmazon;
let images: ImageHost;

beforeAll(async () => {
  amazon = await startFakeAmazon({
    clientId: 'amzn1.application-oa2-client.abc',
    clientSecret: 'amzn-secret-7f3k9',
  });
  images = await startImageHost();
  h = await createHarness(amazonEnv(amazon));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  amazon.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await amazon?.close();
  await images?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const usProfile = 3_141_592_653_589;
const liveAmazonStorefront = () =>
  liveStorefront(h, base, amazonStorefront, connectAmazon, 'Amazon display for shoppers');

type Product = { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };

const buyRequest = (product: Product, packages: Array<Record<string, unknown>>) => ({
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
});

describe('a storefront selling through its Amazon Ads profile', () => {
  it('is connected by Login with Amazon, offers Sponsored Display, books over MCP, pauses, resumes, reports and cancels', async () => {
    const sf = await amazonStorefront(h);
    const connected = await connectAmazon(h, sf.seller.key);
    // The US profile can buy and is chosen; the Canadian one has no valid payment method.
    expect(connected.selectedAccount).toMatchObject({ id: String(usProfile), currency: 'USD' });
    expect(connected.accounts.map((a: { status: string }) => a.status)).toEqual([
      'active',
      'payment_required',
    ]);
    // Login with Amazon's access tokens last an hour: refreshed before they end.
    expect(Date.parse(connected.expiresAt) - Date.now()).toBeLessThan(61 * 60_000);
    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Amazon display ads for outdoor shoppers',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const [display] = found.products;
      expect(display.name).toBe('Amazon Sponsored Display (US)');
      expect(display.channels).toEqual(['display']);
      expect(display.pricing_options[0].currency).toBe('USD');

      const bought = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          {
            budget: 1000,
            bid_price: 6.5,
            targeting_overlay: { geo_countries: ['US'] },
            creatives: [amazonCreative(images.url)],
          },
          { budget: 500, creatives: [amazonCreative(images.url, 'trail-second')] },
        ]),
      );
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What the Amazon Ads console would show: one campaign, created paused and enabled once
      // its ad groups, product ads and creatives existed.
      const [campaign, ...more] = amazon.state.ofKind('campaign', usProfile);
      expect(more).toHaveLength(0);
      expect(campaign!.created).toMatchObject({
        budgetType: 'daily',
        budget: 150,
        costType: 'vcpm',
        tactic: 'T00030',
        state: 'paused',
      });
      // Its name carries the source's buy id, so a retry finds it.
      expect(String(campaign!.created.name)).toMatch(/\[mb_[0-9a-f-]{36}\]$/);
      expect(campaign!.fields.state).toBe('enabled');
      const paths = amazon.state.calls.map((c) => `${c.method} ${c.path}`);
      expect(paths.lastIndexOf('PUT /sd/campaigns')).toBeGreaterThan(
        paths.lastIndexOf('POST /sd/creatives'),
      );
      const groups = amazon.state.ofKind('adGroup', usProfile);
      expect(groups.map((g) => g.fields)).toMatchObject([
        {
          campaignId: campaign!.id,
          defaultBid: 6.5,
          bidOptimization: 'reach',
          creativeType: 'IMAGE',
        },
        { campaignId: campaign!.id, defaultBid: 1 },
      ]);
      const [ad] = amazon.state.ofKind('productAd', usProfile);
      expect(ad!.fields).toMatchObject({
        adGroupId: groups[0]!.id,
        landingPageURL: 'https://acmeoutdoor.example/trail',
        landingPageType: 'OFF_AMAZON_LINK',
        state: 'enabled',
      });
      const [creative] = amazon.state.ofKind('creative', usProfile);
      const props = creative!.fields.properties as Record<string, { assetId: string }>;
      expect(creative!.fields.properties).toMatchObject({ headline: 'Trail season starts now' });
      // The image and the logo were read from the buyer's host and registered as assets.
      expect(amazon.state.assets.get(props.rectCustomImage!.assetId)).toMatchObject({
        uploaded: { bytes: images.png.length, type: 'image/png' },
        subTypes: ['LIFESTYLE_IMAGE'],
      });
      expect(amazon.state.assets.get(props.brandLogo!.assetId)?.subTypes).toEqual(['LOGO']);
      expect(images.requests).toEqual(expect.arrayContaining(['/trail.png', '/logo.png']));
      // Every API call named the app and the chosen profile; storage got no token.
      const sd = amazon.state.calls.filter((c) => c.path.startsWith('/sd/'));
      expect(new Set(sd.map((c) => `${c.headers?.clientId} ${c.headers?.scope}`))).toEqual(
        new Set([`amzn1.application-oa2-client.abc ${usProfile}`]),
      );
      expect(amazon.tokensSentToStorage).toEqual([]);

      const update = (change: Record<string, unknown>) =>
        agent.call('update_media_buy', {
          account,
          media_buy_id: bought.media_buy_id,
          idempotency_key: randomUUID(),
          ...change,
        });
      const status = async () =>
        (await agent.call('get_media_buys', { account, media_buy_ids: [bought.media_buy_id] }))
          .media_buys[0].status;
      expect((await update({ paused: true })).isError).toBe(false);
      expect(campaign!.fields.state).toBe('paused');
      expect(await status()).toBe('paused');
      expect((await update({ paused: false })).isError).toBe(false);
      expect(campaign!.fields.state).toBe('enabled');
      expect(await status()).toBe('active');

      // A budget and flight change: the campaign's daily budget is recomputed from the changed
      // buy (2,000 + 500 over 20 days: 125 a day) and its end day moves.
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      const first = listed.media_buys[0].packages.find(
        (p: { budget: number }) => p.budget === 1000,
      );
      const newEnd = new Date(Date.parse(listed.media_buys[0].start_time) + 20 * 86_400_000);
      const changed = await update({
        end_time: newEnd.toISOString(),
        packages: [{ package_id: first.package_id, budget: 2000 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      expect(campaign!.fields.budget).toBe(125);
      expect(campaign!.fields.endDate).not.toBe(campaign!.created.endDate);
      expect(campaign!.fields.endDate).toMatch(/^\d{8}$/);

      amazon.state.deliver(groups[0]!.id, { impressions: 40_000, clicks: 120, cost: 260.4 });
      amazon.state.deliver(groups[1]!.id, { impressions: 10_000, clicks: 15, cost: 65.1 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 50_000,
        clicks: 135,
        spend: 325.5,
      });
      const [report] = [...amazon.state.reports.values()];
      expect(report!.body.configuration).toMatchObject({
        adProduct: 'SPONSORED_DISPLAY',
        reportTypeId: 'sdAdGroup',
        format: 'GZIP_JSON',
      });
      expect(report!.polls).toBe(2);

      expect((await update({ canceled: true })).isError).toBe(false);
      expect(campaign!.fields.state).toBe('archived');
      expect(await status()).toBe('canceled');
    } finally {
      await agent.close();
    }

    const view = await h.call('GET', `${sources}/amazon/adapter`, { key: sf.seller.key });
    const issued = [...amazon.state.tokens.keys(), ...amazon.state.refreshTokens.keys()];
    // Tokens were issued (connect and refresh), so the loop checks them, not only the secret.
    expect(issued.length).toBeGreaterThan(1);
    for (const secret of [...issued, amazon.state.options.clientSecret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('a campaign made while Amazon could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, products } = await liveAmazonStorefront();
    try {
      const [display] = (await products()).products;
      const before = amazon.state.ofKind('campaign').length;
      const request = buyRequest(display, [
        { budget: 300, creatives: [amazonCreative(images.url, 'lost')] },
      ]);
      amazon.state.loseNextCreate = 'campaign';
      // The lookup right after (and its one quick second try) meets Amazon down too.
      const down = { code: 'SERVER_IS_BUSY', details: 'Try again later' };
      amazon.state.failNext(503, down, undefined, '/sd/campaigns', 'GET');
      amazon.state.failNext(503, down, undefined, '/sd/campaigns', 'GET');
      const failed = await agent.call('create_media_buy', request);
      expect(JSON.stringify(failed)).toContain('SERVICE_UNAVAILABLE');
      expect(amazon.state.ofKind('campaign')).toHaveLength(before + 1);

      const retried = await agent.call('create_media_buy', request);
      expect(retried.isError, JSON.stringify(retried)).toBe(false);
      const campaigns = amazon.state.ofKind('campaign');
      expect(campaigns).toHaveLength(before + 1);
      expect(campaigns.at(-1)!.fields.state).toBe('enabled');
      expect(
        amazon.state.ofKind('adGroup').filter((g) => g.fields.campaignId === campaigns.at(-1)!.id),
      ).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });

  it('a report Amazon is still preparing is SERVICE_UNAVAILABLE; asking again collects that same report', async () => {
    const { agent, products } = await liveAmazonStorefront();
    try {
      const [display] = (await products()).products;
      const bought = await agent.call('create_media_buy', buyRequest(display, [{ budget: 200 }]));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const group = amazon.state.ofKind('adGroup').at(-1)!;
      amazon.state.deliver(group.id, { impressions: 900, clicks: 4, cost: 3.15 });
      const reports = amazon.state.reports.size;
      const ask = () =>
        agent.call('get_media_buy_delivery', { account, media_buy_ids: [bought.media_buy_id] });

      amazon.state.reportPollsUntilReady = 100;
      let pending;
      try {
        pending = await ask();
      } finally {
        amazon.state.reportPollsUntilReady = 1;
      }
      expect(JSON.stringify(pending)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(pending)).toMatch(/"retry_after":30\b/);
      const report = [...amazon.state.reports.values()].at(-1)!;
      report.pollsLeft = 0;

      const ready = await ask();
      expect(ready.isError, JSON.stringify(ready)).toBe(false);
      expect(ready.media_buy_deliveries[0].totals).toMatchObject({ impressions: 900, spend: 3.15 });
      // Amazon answered 425 naming the queued report; no second report was queued.
      expect(amazon.state.reports.size).toBe(reports + 1);
      expect(report.done).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('429 reaches the buyer as RATE_LIMITED with Amazon’s Retry-After; a 5xx is retried; nothing leaks', async () => {
    const { agent, products } = await liveAmazonStorefront();
    try {
      amazon.state.failNext(500, { code: 'INTERNAL_ERROR', details: 'Boom at the edge' });
      const afterOutage = await products();
      expect(afterOutage.isError, JSON.stringify(afterOutage)).toBe(false);
      expect(afterOutage.products.length).toBeGreaterThan(0);

      amazon.state.failNext(
        429,
        { code: 'TOO_MANY_REQUESTS', details: 'Slow down please' },
        { 'retry-after': '7' },
      );
      const limited = await products();
      const text = JSON.stringify(limited);
      expect(text).toContain('RATE_LIMITED');
      expect(text).toMatch(/"retry_after":7\b/);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('Slow down');
    } finally {
      await agent.close();
    }
  });

  it('a creative without a logo, or a country outside the profile’s marketplace, is refused before Amazon hears of it', async () => {
    const { agent, products } = await liveAmazonStorefront();
    try {
      const [display] = (await products()).products;
      const campaigns = amazon.state.ofKind('campaign').length;
      const { logo: _logo, ...noLogo } = amazonCreative(images.url).assets;
      const missing = await agent.call(
        'create_media_buy',
        buyRequest(display, [
          { budget: 100, creatives: [{ ...amazonCreative(images.url), assets: noLogo }] },
        ]),
      );
      expect(JSON.stringify(missing)).toContain('INVALID_REQUEST');
      expect(JSON.stringify(missing)).toContain('logo');
      const abroad = await agent.call(
        'create_media_buy',
        buyRequest(display, [{ budget: 100, targeting_overlay: { geo_countries: ['GB'] } }]),
      );
      expect(JSON.stringify(abroad)).toContain('serves the US marketplace only');
      expect(amazon.state.ofKind('campaign')).toHaveLength(campaigns);
    } finally {
      await agent.close();
    }
  });

  it('an hour-long access token is refreshed with the refresh token; access removed blocks readiness until reconnected', async () => {
    const refreshes = () => amazon.state.calls.filter((c) => c.grant === 'refresh_token').length;
    const before = refreshes();
    amazon.state.options.accessTokenSeconds = 2;
    let live: Awaited<ReturnType<typeof liveAmazonStorefront>>;
    try {
      live = await liveAmazonStorefront();
    } finally {
      amazon.state.options.accessTokenSeconds = undefined;
    }
    const { sf, agent, products } = live;
    try {
      await pastTokenEnd(live.connection.expiresAt);
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(found.products.length).toBeGreaterThan(0);
      expect(refreshes()).toBeGreaterThan(before);

      amazon.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/amazon/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      amazon.state.consent = 'deny';
      try {
        const started = await h.call('POST', `${sources}/amazon/adapter/connect`, {
          key: sf.seller.key,
        });
        expect((await consentInBrowser(started.body.data.authorizationUrl)).status).toBe(400);
      } finally {
        amazon.state.consent = 'approve';
      }
      await connectAmazon(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('a buyer’s REST campaign books into the profile and Amazon’s report reaches the buyer’s reporting', async () => {
    const sf = await amazonStorefront(h);
    await connectAmazon(h, sf.seller.key);
    await goLive(h, sf);
    const booked = await bookedCampaign(h, [sf]);
    const buy = booked.buys.get(sf.platformId);
    expect(buy.sellerMediaBuyId).toBeTruthy();
    const group = amazon.state.ofKind('adGroup', usProfile).at(-1)!;
    amazon.state.deliver(group.id, { impressions: 12_345, clicks: 67, cost: 246.9 });
    const imported = await h.services.delivery.importDeliveryFor(buy.mediaBuyId);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const report = await metrics(h, booked.buyer.key, `campaignId=${booked.campaignId}`);
    const reported = report.body.data.advertisers[0].campaigns[0].mediaBuys[0];
    expect(reported.metrics.impressions).toBe(12_345);
    expect(reported.metrics.spend).toBeCloseTo(246.9, 2);
  });
});
