import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { agentClient } from '../../agents/storefront-agent-support.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import {
  adServerHarness,
  adServerSeller,
  approveQueued,
  bookSports,
  connectAdServer,
  sources,
  type TestCreative,
} from './support.js';

/*
 * SpringServe sells video, end to end over MCP with the fake SpringServe on a real socket: its
 * supply tags' format and environment make video products on the right AdCP channel, a buyer's
 * video file becomes one video creative registered by URL and linked to the line item's demand
 * tag, and an image on a video product is refused before anything reaches SpringServe.
 */

let ss: FakeSpringServe;
let h: Harness;
let base: string;

beforeAll(async () => {
  ss = await startFakeSpringServe();
  ({ h, base } = await adServerHarness({ INTERCHANGE_SPRINGSERVE_URL: ss.url }));
});
afterAll(async () => {
  await h?.close();
  await ss?.close();
});

// Supply tag 502 plays in the connected-TV app, 501 in browsers (the fake's environments).
const products = [
  { productId: 'sports_preroll', name: 'Sports preroll', placementIds: ['502'], cpm: 20 },
  {
    productId: 'home_preroll',
    name: 'Homepage preroll',
    placementIds: ['501'],
    cpm: 9,
    videoDurations: [15],
  },
];

const connected = () =>
  connectAdServer(h, 'springserve', {
    type: 'springserve',
    email: 'ops+api@sportsnews.example',
    password: 'correct horse battery',
    publisherDomain: 'sportsnews.example',
    products,
  });

const writes = () => ss.calls.filter((c) => c.method !== 'GET').length;

const book = (sf: { platformId: string }, key: string, creative: TestCreative) =>
  bookSports(base, sf.platformId, key, { product: 'sports_preroll', ...creative });

describe('SpringServe video', () => {
  it('offers video formats on the channel each supply tag says', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const listed = await agent.call('get_products', { buying_mode: 'brief', brief: 'preroll' });
      const byId = (end: string) =>
        listed.products.find((p: { product_id: string }) => p.product_id.endsWith(end));
      const formats = (p: { format_ids: Array<{ id: string; duration_ms?: number }> }) =>
        p.format_ids.map((f) => `${f.id}/${f.duration_ms ?? '-'}`).sort();
      const sports = byId('sports_preroll');
      expect(sports.channels).toEqual(['ctv']);
      expect(formats(sports)).toEqual([
        'video_standard/15000',
        'video_standard/30000',
        'video_vast/15000',
        'video_vast/30000',
      ]);
      expect(sports.format_ids[0].agent_url).toBe('https://creative.adcontextprotocol.org');
      const home = byId('home_preroll');
      expect(home.channels).toEqual(['olv']);
      expect(formats(home)).toEqual(['video_standard/15000', 'video_vast/15000']);
      // No display format anywhere.
      expect(JSON.stringify(listed.products)).not.toMatch(/display_\d/);
    } finally {
      await agent.close();
    }
  });

  it("books a video file as one video creative on the line item's demand tag", async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-video.example' });
    const url = 'https://cdn.acme.example/spots/sports-30.mp4';
    const videos = ss.account.videos.size;
    const tagCreatives = ss.account.tagCreatives.size;
    const { agent, booked } = await book(sf, buyer.key, { name: 'Sports 30', url, kind: 'video' });
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');

      // Exactly one new video creative, registered by the buyer's URL, and no tag creative.
      expect(ss.account.videos.size).toBe(videos + 1);
      expect(ss.account.tagCreatives.size).toBe(tagCreatives);
      const video = [...ss.account.videos.values()].at(-1)!;
      expect(video).toMatchObject({
        name: 'Sports 30',
        creative_remote_url: url,
        creative_content_type: 'video/mp4',
        creative_landing_page_url: 'https://acme.example/offer',
      });
      // Linked to the demand tag on supply tag 502, a video line of the buyer's campaign.
      const campaign = [...ss.account.campaigns.values()].at(-1)!;
      expect(video['demand_partner_id']).toBe(campaign['demand_partner_id']);
      const tags = [...ss.account.demandTags.values()].filter(
        (t) => t['campaign_id'] === campaign['id'],
      );
      expect(tags).toHaveLength(1);
      expect(tags[0]).toMatchObject({
        format: 'video',
        demand_tag_priorities: [{ supply_tag_id: 502, priority: 1, tier: 1 }],
        line_item_ratios: [{ creative_id: video['id'], ratio: 1 }],
      });
    } finally {
      await agent.close();
    }
  });

  it('refuses an image on a video product, by name, before SpringServe hears of the buy', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-banner.example' });
    const { agent, booked } = await book(sf, buyer.key, {
      name: 'Banner by mistake',
      url: 'https://cdn.acme.example/banner.png',
    });
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const before = { writes: writes(), campaigns: ss.account.campaigns.size };
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.status, decided.text).toBe(200);
      expect(decided.body.data.forwardOutcome).not.toBe('all_completed');
      const result = JSON.stringify(decided.body.data.forwardResult);
      expect(result).toContain('CREATIVE_REJECTED');
      expect(result).toMatch(/Banner by mistake.*is an image.*sells video/);
      // Nothing was written to SpringServe: no campaign, demand tag or creative.
      expect(writes()).toBe(before.writes);
      expect(ss.account.campaigns.size).toBe(before.campaigns);
    } finally {
      await agent.close();
    }
  });

  it('refuses media settings that contradict each other, naming the field', async () => {
    const sf = await adServerSeller(h);
    const save = (product: Record<string, unknown>, type = 'springserve') =>
      h.call('PUT', `${sources}/ss-media/ad-server`, {
        key: sf.seller.key,
        body: {
          type,
          ...(type === 'springserve'
            ? { email: 'ops+api@sportsnews.example', password: 'correct horse battery' }
            : { networkCode: '21700001' }),
          products: [{ productId: 'p', name: 'P', placementIds: ['502'], cpm: 5, ...product }],
        },
      });
    for (const [product, field, type] of [
      [{ mediaType: 'audio' }, 'products.0.mediaType'],
      [{ mediaType: 'video', channels: ['display'] }, 'products.0.channels'],
      [{ mediaType: 'display', channels: ['ctv'] }, 'products.0.channels'],
      [{ channels: ['display', 'olv'] }, 'products.0.channels'],
      [{ mediaType: 'display', videoDurations: [30] }, 'products.0.videoDurations'],
      [{ videoDurations: [0] }, 'products.0.videoDurations.0'],
      [{ mediaType: 'video' }, 'products.0.mediaType', 'google_ad_manager'],
    ] as const) {
      const refused = await save(product, type);
      expect(refused.status, JSON.stringify(product)).toBe(400);
      expect(refused.body.error, JSON.stringify(product)).toMatchObject({
        code: 'VALIDATION_ERROR',
        field,
      });
    }
    const fine = await save({ mediaType: 'video', channels: ['olv', 'ctv'], videoDurations: [6] });
    expect(fine.status, fine.text).toBe(200);
  });
});
