import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { liveBuyerAgent, sources } from './support.js';
import { connectTikTok, tiktokEnv, tiktokStorefront } from './tiktok-support.js';
import { product } from './catalog-support.js';

/*
 * A TikTok-backed storefront takes AdCP sync_catalogs: a buyer's product catalog becomes an
 * e-commerce catalog of the Business Center that owns the connected advertiser, holding exactly
 * the buyer's products (uploaded by sku_id), or a scheduled feed TikTok fetches itself. The fake
 * TikTok judges what the catalog holds; every catalog belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let tiktok: FakeTikTok;
let sf: Awaited<ReturnType<typeof tiktokStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const eur = (id: string, extra: Record<string, unknown> = {}) =>
  product(id, { price: { amount: 39.9, currency: 'EUR' }, ...extra });

beforeAll(async () => {
  tiktok = await startFakeTikTok({ appId: 'tt-app-1', secret: 'tt-secret-xyz' });
  h = await createHarness(tiktokEnv(tiktok));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  tiktok.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await tiktokStorefront(h);
  await connectTikTok(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await tiktok?.close();
});

const catalogs = () => [...tiktok.state.catalogs.values()];
const skus = (c: { products: Map<string, unknown> }) => [...c.products.keys()].sort();
const sync = (body: Record<string, unknown>, client = agent) =>
  client.call('sync_catalogs', { idempotency_key: randomUUID(), account, ...body });

describe('a storefront selling through TikTok, for catalogs', () => {
  it("makes a buyer's catalog an e-commerce catalog of the advertiser's Business Center", async () => {
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toContain('sync_catalogs');
    const synced = await sync({
      catalogs: [
        {
          catalog_id: 'trail',
          name: 'Trail running',
          type: 'product',
          items: [eur('shoe', { sale_price: 29.9 }), eur('vest'), product('cap')],
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [made] = catalogs();
    expect(made).toMatchObject({ bcId: '7650001', conf: { region_code: 'DE', currency: 'EUR' } });
    expect(made!.name).toMatch(/^Trail running \[ix-[0-9a-f]{16}\]$/);
    expect(skus(made!)).toEqual(['shoe', 'vest']);
    expect(made!.products.get('shoe')).toMatchObject({
      title: 'Product shoe',
      availability: 'IN_STOCK',
      image_url: 'https://cdn.acmeoutdoor.example/shoe.jpg',
      price_info: { price: 39.9, sale_price: 29.9 },
      landing_page: { landing_page_url: 'https://acmeoutdoor.example/p/shoe' },
      product_detail: { condition: 'NEW' },
    });
    expect(synced.catalogs[0]).toMatchObject({
      action: 'created',
      platform_id: made!.id,
      item_count: 2,
      item_issues: [
        {
          item_id: 'cap',
          status: 'rejected',
          reasons: ["TikTok takes prices in the catalog's currency (EUR)"],
        },
      ],
    });
  });

  it('changes and removes products to match a later sync; a retry and a dry run write nothing', async () => {
    const next = {
      catalogs: [
        {
          catalog_id: 'trail',
          type: 'product',
          items: [eur('shoe', { price: { amount: 44, currency: 'EUR' } }), eur('bottle')],
        },
      ],
    };
    const calls = tiktok.state.calls.length;
    const dry = await sync({ ...next, dry_run: true });
    expect(dry).toMatchObject({ dry_run: true });
    expect(dry.catalogs[0]).toMatchObject({ action: 'updated', item_count: 2 });
    expect(tiktok.state.calls.length).toBe(calls);

    const changed = await sync(next);
    expect(changed.catalogs[0]).toMatchObject({ action: 'updated', item_count: 2 });
    const [made] = catalogs();
    expect(skus(made!)).toEqual(['bottle', 'shoe']);
    expect(made!.products.get('shoe')).toMatchObject({ price_info: { price: 44 } });

    const uploads = () => tiktok.state.calls.filter((c) => c.path === '/catalog/product/upload');
    const before = uploads().length;
    const again = await sync(next);
    expect(again.catalogs[0]).toMatchObject({ action: 'unchanged', item_count: 2 });
    expect(uploads()).toHaveLength(before);
    expect(catalogs()).toHaveLength(1);
  });

  it('registers a feed URL TikTok fetches, and refuses other catalog types by name', async () => {
    const answer = await sync({
      catalogs: [
        {
          catalog_id: 'clearance',
          type: 'product',
          url: 'https://feeds.acmeoutdoor.example/clearance.xml',
          feed_format: 'google_merchant_center',
          update_frequency: 'weekly',
        },
        { catalog_id: 'flights', type: 'flight', items: [{ flight_id: 'f1' }] },
      ],
    });
    expect(answer.catalogs[0]).toMatchObject({ catalog_id: 'clearance', action: 'created' });
    const feedCatalog = tiktok.state.catalogs.get(answer.catalogs[0].platform_id)!;
    expect(feedCatalog.feeds).toEqual([
      expect.objectContaining({
        update_mode: 'OVERWRITE',
        schedule_param: expect.objectContaining({
          source: { uri: 'https://feeds.acmeoutdoor.example/clearance.xml' },
          interval_type: 'DAILY',
          interval_count: 7,
        }),
      }),
    ]);
    expect(answer.catalogs[1]).toMatchObject({ catalog_id: 'flights', action: 'failed' });
    expect(answer.catalogs[1].errors[0].message).toBe(
      'TikTok takes product catalogs here: "flights" is a flight catalog',
    );
  });

  it('finds a catalog whose create answer was lost instead of making another', async () => {
    tiktok.state.loseNextAnswer('/catalog/create');
    const body = { catalogs: [{ catalog_id: 'hike', type: 'product', items: [eur('pole')] }] };
    const lost = await sync(body);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    const made = await sync(body);
    expect(made.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
    expect(catalogs().filter((c) => c.name.startsWith('hike ['))).toHaveLength(1);
  });

  it("keeps each buyer's catalogs its own; a refused Business Center is not a lost connection", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync(
        { catalogs: [{ catalog_id: 'trail', type: 'product', items: [eur('tent')] }] },
        other,
      );
      expect(theirs.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
      const mine = catalogs().find((c) => c.name.startsWith('Trail running ['))!;
      expect(theirs.catalogs[0].platform_id).not.toBe(mine.id);
      expect(skus(mine)).toEqual(['bottle', 'shoe']);
      const pruned = await sync(
        {
          delete_missing: true,
          catalogs: [{ catalog_id: 'camp', type: 'product', items: [eur('stove')] }],
        },
        other,
      );
      expect(pruned.catalogs[1]).toEqual({ catalog_id: 'trail', action: 'deleted' });
      expect(tiktok.state.catalogs.has(theirs.catalogs[0].platform_id)).toBe(false);
      expect(tiktok.state.catalogs.has(mine.id)).toBe(true);
    } finally {
      await other.close();
    }

    tiktok.state.failNext(200, { code: 40001, message: 'No permission', data: {} }, '/catalog/get');
    const refused = await sync({
      catalogs: [{ catalog_id: 'ski', type: 'product', items: [eur('goggles')] }],
    });
    expect(refused.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
    const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('CONNECTED');
  });
});
