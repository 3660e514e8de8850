import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, liveBuyerAgent, metaEnv, metaStorefront, sources } from './support.js';

let h: Harness;
let base: string;
let meta: FakeMeta;

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  h = await createHarness(metaEnv(meta));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await meta?.close();
});

describe('a storefront selling through its Meta ad account', () => {
  it('is connected by OAuth, discovered and booked over MCP, paused at Meta and reports Insights', async () => {
    const sf = await metaStorefront(h);
    const before = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
    expect(before.body.data).toMatchObject({ status: 'PENDING', action: 'connect' });

    const connected = await connectMeta(h, sf.seller.key);
    // The only active ad account is chosen; the closed one is listed but not chosen.
    expect(connected.selectedAccount).toMatchObject({ id: 'act_1001', currency: 'USD' });
    expect(connected.accounts).toHaveLength(2);
    expect(connected.pageId).toBe('5550001');
    expect(connected.action).toBeNull();
    // The code was exchanged, then the short-lived token for a long-lived one.
    const grants = meta.state.calls.filter((c) => c.path === '/oauth/access_token');
    expect(grants.map((c) => c.grant)).toEqual([null, 'fb_exchange_token']);

    const agent = await liveBuyerAgent(h, base, sf);
    const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Instagram stories for a spring outdoor launch',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const stories = found.products.find((p: { name: string }) => p.name === 'Instagram Stories');
      expect(stories, JSON.stringify(found.products)).toBeDefined();
      expect(found.products[0].name).toBe('Instagram Stories');

      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: stories.product_id,
            pricing_option_id: stories.pricing_options[0].pricing_option_id,
            budget: 1500,
            bid_price: 8.5,
            targeting_overlay: { geo_countries: ['GB', 'IE'] },
            creatives: [
              {
                creative_id: 'spring-hero',
                name: 'Spring hero',
                format_id: {
                  agent_url: 'https://creative.adcontextprotocol.org',
                  id: 'display_image',
                },
                assets: {
                  image: {
                    asset_type: 'image',
                    url: 'https://cdn.acmeoutdoor.example/hero.jpg',
                    width: 1080,
                    height: 1920,
                  },
                  headline: { asset_type: 'text', content: 'Spring is here' },
                  click_url: {
                    asset_type: 'url',
                    url_type: 'clickthrough',
                    url: 'https://acmeoutdoor.example/spring',
                  },
                },
              },
            ],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.media_buy_id).toBeTruthy();

      // What Ads Manager would show: one campaign, an ad set with the budget in cents, the
      // buyer's countries and the placement's positions, and an ad from the creative.
      const [campaign] = meta.state.ofKind('campaign');
      expect(campaign).toMatchObject({ account: 'act_1001' });
      expect(campaign!.fields).toMatchObject({ objective: 'OUTCOME_AWARENESS', status: 'ACTIVE' });
      const [adSet] = meta.state.ofKind('adset');
      expect(adSet!.fields).toMatchObject({
        campaign_id: campaign!.id,
        lifetime_budget: 150_000,
        bid_amount: 850,
        billing_event: 'IMPRESSIONS',
        targeting: {
          geo_locations: { countries: ['GB', 'IE'] },
          publisher_platforms: ['instagram'],
          instagram_positions: ['story'],
        },
      });
      const [creative] = meta.state.ofKind('adcreative');
      expect(creative!.fields.object_story_spec).toMatchObject({
        page_id: '5550001',
        link_data: {
          link: 'https://acmeoutdoor.example/spring',
          picture: 'https://cdn.acmeoutdoor.example/hero.jpg',
          message: 'Spring is here',
        },
      });
      const [ad] = meta.state.ofKind('ad');
      expect(ad!.fields).toMatchObject({
        adset_id: adSet!.id,
        creative: { creative_id: creative!.id },
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

      // A budget and flight change reaches the ad set (POST /{adset-id}), in cents.
      const newEnd = new Date(Date.now() + 40 * 86_400_000).toISOString();
      const changed = await agent.call('update_media_buy', {
        account,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        end_time: newEnd,
        packages: [{ package_id: listed.media_buys[0].packages[0].package_id, budget: 2500 }],
      });
      expect(changed.isError, JSON.stringify(changed)).toBe(false);
      expect(adSet!.fields).toMatchObject({ lifetime_budget: 250_000, end_time: newEnd });

      meta.state.deliver(adSet!.id, { impressions: 48_000, clicks: 310, spend: 402.5 });
      const delivery = await agent.call('get_media_buy_delivery', {
        account,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 48_000,
        clicks: 310,
        spend: 402.5,
      });
    } finally {
      await agent.close();
    }

    // No token Meta issued is in any answer or log line.
    const issued = [...meta.state.tokens.keys()];
    const view = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
    for (const token of issued) {
      expect(view.text).not.toContain(token);
      expect(h.rawLogs()).not.toContain(token);
    }
  });
});
