import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { liveBuyerAgent, liveStorefront, sources } from './support.js';
import { connectTikTok, tiktokEnv, tiktokStorefront, videoCreative } from './tiktok-support.js';

let h: Harness;
let base: string;
let tiktok: FakeTikTok;

beforeAll(async () => {
  tiktok = await startFakeTikTok({ appId: 'tt-app-1', secret: 'tt-secret-123456' });
  h = await createHarness(tiktokEnv(tiktok));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  tiktok.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await tiktok?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };

/** A live storefront with its TikTok source connected, and a buyer's agent client on it. */
const liveTikTokStorefront = () =>
  liveStorefront(h, base, tiktokStorefront, connectTikTok, 'TikTok feed');

describe('a storefront selling through its TikTok advertiser account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at TikTok and reports delivery', async () => {
    const sf = await tiktokStorefront(h);
    const connected = await connectTikTok(h, sf.seller.key);
    // The enabled advertiser is chosen; the disabled one is listed but not chosen.
    expect(connected.selectedAccount).toMatchObject({ id: '7001', currency: 'EUR' });
    expect(connected.accounts.map((a: { status: string }) => a.status)).toEqual([
      'active',
      'suspended',
    ]);
    expect(connected.action).toBeNull();
    // A long-term token: no expiry, so nothing to refresh.
    expect(connected.expiresAt).toBeNull();

    const agent = await liveBuyerAgent(h, base, sf);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Vertical video on TikTok for a spring launch',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(found.products[0].name).toBe('TikTok For You feed');
      const feed = found.products[0];
      const pangle = found.products.find((p: { name: string }) => p.name.startsWith('Pangle'));
      expect(feed.pricing_options[0].currency).toBe('EUR');

      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: feed.product_id,
            pricing_option_id: feed.pricing_options[0].pricing_option_id,
            budget: 1500,
            bid_price: 8.5,
            targeting_overlay: { geo_countries: ['GB', 'DE'] },
            creatives: [videoCreative],
          },
          {
            product_id: pangle.product_id,
            pricing_option_id: pangle.pricing_options[0].pricing_option_id,
            budget: 500,
            targeting_overlay: { geo_countries: ['FR'] },
            creatives: [{ ...videoCreative, creative_id: 'spring-cut-apps' }],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // What TikTok Ads Manager would show: one campaign, enabled once complete; an ad group
      // per package with its lifetime budget, bid, locations and placement; an ad per creative.
      const [campaign, ...more] = tiktok.state.ofKind('campaign');
      expect(more).toHaveLength(0);
      expect(campaign).toMatchObject({ advertiserId: '7001' });
      expect(campaign!.fields).toMatchObject({
        objective_type: 'REACH',
        operation_status: 'ENABLE',
      });
      const [feedGroup, pangleGroup] = tiktok.state.ofKind('adgroup');
      expect(feedGroup!.fields).toMatchObject({
        campaign_id: campaign!.id,
        placements: ['PLACEMENT_TIKTOK'],
        location_ids: ['2635167', '2921044'],
        budget_mode: 'BUDGET_MODE_TOTAL',
        budget: 1500,
        billing_event: 'CPM',
        bid_type: 'BID_TYPE_CUSTOM',
        bid_price: 8.5,
        schedule_type: 'SCHEDULE_START_END',
      });
      expect(pangleGroup!.fields).toMatchObject({
        placements: ['PLACEMENT_PANGLE'],
        location_ids: ['3017382'],
        budget: 500,
        bid_type: 'BID_TYPE_NO_BID',
      });
      const [video] = tiktok.state.ofKind('video');
      expect(video!.fields.video_url).toBe('https://cdn.acmeoutdoor.example/spring.mp4');
      const [identity] = tiktok.state.ofKind('identity');
      const ad = tiktok.state.ofKind('ad').find((a) => a.fields.adgroup_id === feedGroup!.id);
      expect(ad!.fields).toMatchObject({
        ad_format: 'SINGLE_VIDEO',
        video_id: video!.id,
        identity_type: 'CUSTOMIZED_USER',
        identity_id: identity!.id,
        ad_text: 'Spring is on TikTok',
        landing_page_url: 'https://acmeoutdoor.example/spring',
      });
      // The identity is made once and reused.
      expect(tiktok.state.ofKind('identity')).toHaveLength(1);

      const paused = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        paused: true,
      });
      expect(paused.isError, JSON.stringify(paused)).toBe(false);
      expect(campaign!.fields.operation_status).toBe('DISABLE');
      const listed = await agent.call('get_media_buys', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(listed.media_buys[0].status, JSON.stringify(listed)).toBe('paused');

      // A budget and flight change reaches the ad group (/adgroup/update/): the package's new
      // lifetime budget and the new end, in TikTok's schedule time.
      const feedPackage = listed.media_buys[0].packages.find(
        (p: { budget: number }) => p.budget === 1500,
      );
      const newEnd = new Date(Date.now() + 30 * 86_400_000);
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd.toISOString(),
        packages: [{ package_id: feedPackage.package_id, budget: 2750 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      const tiktokTime = newEnd.toISOString().slice(0, 19).replace('T', ' ');
      expect(feedGroup!.fields).toMatchObject({ budget: 2750, schedule_end_time: tiktokTime });
      expect(pangleGroup!.fields).toMatchObject({ budget: 500, schedule_end_time: tiktokTime });

      // Reporting answers a row per page here, so both ad groups need the second page.
      tiktok.state.maxPageSize = 1;
      tiktok.state.deliver(feedGroup!.id, { impressions: 48_000, clicks: 310, spend: 402.5 });
      tiktok.state.deliver(pangleGroup!.id, { impressions: 2_000, clicks: 12, spend: 10.25 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 50_000,
        clicks: 322,
        spend: 412.75,
      });
      const reports = tiktok.state.calls.filter((c) => c.path === '/report/integrated/get');
      expect(reports.length).toBe(2);

      const canceled = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(campaign!.fields.operation_status).toBe('DELETE');
    } finally {
      tiktok.state.maxPageSize = 1000;
      await agent.close();
    }

    // No token TikTok issued, nor the app's secret, is in any answer or log line.
    const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sf.seller.key });
    for (const secret of [...tiktok.state.tokens.keys(), tiktok.state.options.secret]) {
      expect(view.text).not.toContain(secret);
      expect(h.rawLogs()).not.toContain(secret);
    }
  }, 90_000);

  it('two storefronts sharing TikTok each buy in their own advertiser, and neither buyer sees the other’s buys', async () => {
    const a = await liveTikTokStorefront();
    tiktok.state.consentAdvertisers = ['7003'];
    let b: Awaited<ReturnType<typeof liveTikTokStorefront>>;
    try {
      b = await liveTikTokStorefront();
    } finally {
      tiktok.state.consentAdvertisers = ['7001', '7002'];
    }
    expect(a.connection.selectedAccount.id).toBe('7001');
    expect(b.connection.selectedAccount.id).toBe('7003');
    expect(b.connection.accounts.map((x: { id: string }) => x.id)).toEqual(['7003']);
    try {
      const buy = async (agent: typeof a.agent) => {
        const found = await agent.call('get_products', {
          buying_mode: 'brief',
          brief: 'TikTok feed',
          brand: { domain: 'acmeoutdoor.example' },
        });
        const feed = found.products[0];
        const bought = await agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account,
          brand: { domain: 'acmeoutdoor.example' },
          start_time: 'asap',
          end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          packages: [
            {
              product_id: feed.product_id,
              pricing_option_id: feed.pricing_options[0].pricing_option_id,
              budget: 300,
              targeting_overlay: { geo_countries: ['US'] },
              creatives: [videoCreative],
            },
          ],
        });
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        return bought.media_buy_id as string;
      };
      const before = tiktok.state.ofKind('campaign', '7003').length;
      const fromA = await buy(a.agent);
      await buy(b.agent);
      expect(tiktok.state.ofKind('campaign', '7003')).toHaveLength(before + 1);
      // B's buyer asking for A's buy by id finds nothing.
      const stolen = await b.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(stolen.media_buys ?? []).toHaveLength(0);
      const own = await a.agent.call('get_media_buys', { account, media_buy_ids: [fromA] });
      expect(own.media_buys).toHaveLength(1);
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });
  it('a buy TikTok fails half-way is reported as retryable, and the retry with the same key resumes without a second campaign', async () => {
    const { agent } = await liveTikTokStorefront();
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'TikTok feed',
        brand: { domain: 'acmeoutdoor.example' },
      });
      const feed = found.products[0];
      const request = {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: feed.product_id,
            pricing_option_id: feed.pricing_options[0].pricing_option_id,
            budget: 250,
            targeting_overlay: { geo_countries: ['DE'] },
            creatives: [{ ...videoCreative, creative_id: 'resume-cut' }],
          },
        ],
      };
      const campaigns = () => tiktok.state.ofKind('campaign', '7001').length;
      const groups = () => tiktok.state.ofKind('adgroup', '7001').length;
      const [campaignsBefore, groupsBefore] = [campaigns(), groups()];
      // TikTok fails the ad after the ad group exists (a create is sent once a call).
      const failure = { code: 50000, message: 'System error', data: {} };
      tiktok.state.failNext(500, failure, '/ad/create');
      const failed = await agent.call('create_media_buy', request);
      expect(JSON.stringify(failed)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(failed)).not.toContain('System error');
      expect(campaigns()).toBe(campaignsBefore + 1);
      expect(groups()).toBe(groupsBefore + 1);

      const retried = await agent.call('create_media_buy', request);
      expect(retried.isError, JSON.stringify(retried)).toBe(false);
      expect(campaigns()).toBe(campaignsBefore + 1);
      expect(groups()).toBe(groupsBefore + 1);
      // One ad in the buy's ad group: the retry made the ad the failed try could not.
      const group = tiktok.state.ofKind('adgroup', '7001').at(-1)!;
      const ads = tiktok.state.ofKind('ad', '7001').filter((x) => x.fields.adgroup_id === group.id);
      expect(ads).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
