import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { agentClient } from '../../agents/storefront-agent-support.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import {
  adServerHarness,
  approveQueued,
  bookSports,
  connectAdServer,
  type TestCreative,
} from './support.js';

/*
 * FreeWheel sells video, end to end over MCP with the fake FreeWheel on a real socket: its site
 * sections make video products (olv unless the product says ctv), a buyer's video file becomes
 * one creative in FreeWheel's library whose rendition is the file, attached to the placement by
 * an instream ad; an image on a video product, or a video on a display product, is refused by
 * name before anything reaches FreeWheel.
 */

let fw: FakeFreeWheel;
let h: Harness;
let base: string;

beforeAll(async () => {
  fw = await startFakeFreeWheel();
  ({ h, base } = await adServerHarness({
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_FREEWHEEL_STAGING_URL: `${fw.url}/staging-is-not-used`,
  }));
});
afterAll(async () => {
  await h?.close();
  await fw?.close();
});

const products = [
  { productId: 'sports_preroll', name: 'Sports preroll', placementIds: ['502'], cpm: 18 },
  {
    productId: 'ctv_preroll',
    name: 'Homepage preroll on TV',
    placementIds: ['501'],
    cpm: 30,
    channels: ['ctv'],
    videoDurations: [30],
  },
  {
    productId: 'sports_banner',
    name: 'Sports banner',
    placementIds: ['502'],
    cpm: 4,
    mediaType: 'display',
  },
];

const connected = () =>
  connectAdServer(h, 'freewheel', {
    type: 'freewheel',
    clientId: 'interchange-client',
    clientSecret: 'fw-client-secret',
    publisherDomain: 'sportsnews.example',
    products,
  });

const writes = () => fw.calls.filter((c) => c.method !== 'GET').length;

const book = (sf: { platformId: string }, key: string, creative: TestCreative) =>
  bookSports(base, sf.platformId, key, { product: 'sports_preroll', ...creative });

/** The seller approves the waiting buy; the forward is refused with the creative named. */
async function expectRefusedCreative(key: string, pattern: RegExp) {
  const before = { writes: writes(), orders: fw.network.insertionOrders.size };
  const decided = await approveQueued(h, key);
  expect(decided.status, decided.text).toBe(200);
  expect(decided.body.data.forwardOutcome).not.toBe('all_completed');
  const result = JSON.stringify(decided.body.data.forwardResult);
  expect(result).toContain('CREATIVE_REJECTED');
  expect(result).toMatch(pattern);
  // Nothing was written to FreeWheel: no advertiser, campaign, order, placement or creative.
  expect(writes()).toBe(before.writes);
  expect(fw.network.insertionOrders.size).toBe(before.orders);
}

describe('FreeWheel video', () => {
  it('offers video formats on site sections, and the channels and lengths a product names', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const listed = await agent.call('get_products', { buying_mode: 'wholesale' });
      const byId = (end: string) =>
        listed.products.find((p: { product_id: string }) => p.product_id.endsWith(end));
      const formats = (p: { format_ids: Array<{ id: string; duration_ms?: number }> }) =>
        p.format_ids.map((f) => `${f.id}/${f.duration_ms ?? '-'}`).sort();
      const sports = byId('sports_preroll');
      expect(sports.channels).toEqual(['olv']);
      expect(formats(sports)).toEqual([
        'video_standard/15000',
        'video_standard/30000',
        'video_vast/15000',
        'video_vast/30000',
      ]);
      const tv = byId('ctv_preroll');
      expect(tv.channels).toEqual(['ctv']);
      expect(formats(tv)).toEqual(['video_standard/30000', 'video_vast/30000']);
      // A product the publisher declared display keeps the display default.
      const banner = byId('sports_banner');
      expect(banner.channels).toEqual(['display']);
      expect(formats(banner)).toEqual(['display_300x250/-']);
    } finally {
      await agent.close();
    }
  });

  it('books a video file as one creative whose rendition is the file, attached by an instream ad', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-video.example' });
    const url = 'https://cdn.acme.example/spots/sports-15.mp4';
    const creatives = fw.network.creatives.size;
    const { agent, booked } = await book(sf, buyer.key, {
      name: 'Sports 15',
      url,
      kind: 'video',
      durationMs: 15_000,
    });
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');

      const order = [...fw.network.insertionOrders.values()].at(-1)!;
      const placements = [...fw.network.placements.values()].filter(
        (p) => p['insertion_order_id'] === order['id'],
      );
      expect(placements).toHaveLength(1);
      expect(placements[0]!['site_section_ids']).toEqual([502]);
      // Exactly one new creative: the video file as its one rendition, under the buyer's advertiser.
      expect(fw.network.creatives.size).toBe(creatives + 1);
      const creative = [...fw.network.creatives.values()].at(-1)!;
      const campaign = fw.network.campaigns.get(Number(order['campaign_id']))!;
      expect(creative).toMatchObject({
        name: 'Sports 15',
        duration: 15,
        advertiser_ids: [campaign['advertiser_id']],
        renditions: [expect.objectContaining({ uri: url, content_type: 'video/mp4' })],
      });
      // Attached to that placement, and only there, by one instream ad.
      const links = [...fw.network.creativeInstances.values()].filter(
        (l) => l['creative_id'] === creative['id'],
      );
      expect(links).toEqual([expect.objectContaining({ placement_id: placements[0]!['id'] })]);
      expect(fw.network.ads.get(Number(links[0]!['ad_id']))).toMatchObject({ type: 'INSTREAM' });
    } finally {
      await agent.close();
    }
  });

  it('refuses an image on a video product, by name, before FreeWheel hears of the buy', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-banner.example' });
    const { agent } = await book(sf, buyer.key, {
      name: 'Banner by mistake',
      url: 'https://cdn.acme.example/banner.png',
    });
    try {
      await expectRefusedCreative(sf.seller.key, /Banner by mistake.*is an image.*sells video/);
    } finally {
      await agent.close();
    }
  });

  it('refuses a video on a display product, and a spot longer than the product takes', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-wrong.example' });
    const first = await book(sf, buyer.key, {
      name: 'Spot on a banner',
      url: 'https://cdn.acme.example/spot.mp4',
      kind: 'video',
      product: 'sports_banner',
    });
    try {
      await expectRefusedCreative(sf.seller.key, /Spot on a banner.*is a video.*sells display/);
    } finally {
      await first.agent.close();
    }
    const second = await book(sf, buyer.key, {
      name: 'Long spot',
      url: 'https://ads.acme.example/vast/long.xml',
      kind: 'vast',
      durationMs: 60_000,
    });
    try {
      await expectRefusedCreative(sf.seller.key, /Long spot.*lasts 60 s.*15 or 30 s/);
    } finally {
      await second.agent.close();
    }
  });
});
