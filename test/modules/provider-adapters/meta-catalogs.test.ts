import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, liveBuyerAgent, metaEnv, metaStorefront, sources } from './support.js';
import { product } from './catalog-support.js';

/*
 * A Meta-backed storefront takes AdCP sync_catalogs: a buyer's product catalog becomes a product
 * catalog of the Business that owns the connected ad account, holding exactly the buyer's items
 * (keyed by the buyer's item ids), changed and emptied by later syncs. The fake Meta judges what
 * the catalog holds; every catalog belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let meta: FakeMeta;
let sf: Awaited<ReturnType<typeof metaStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  h = await createHarness(metaEnv(meta));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await metaStorefront(h);
  await connectMeta(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await meta?.close();
});

const catalogs = () => meta.state.ofKind('productcatalog');
const itemsOf = (id: string) => meta.state.catalogItems.get(id);
const sync = (body: Record<string, unknown>, client = agent) =>
  client.call('sync_catalogs', { idempotency_key: randomUUID(), account, ...body });

describe('a storefront selling through Meta, for catalogs', () => {
  it('offers sync_catalogs', async () => {
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toContain('sync_catalogs');
  });

  it("makes a buyer's catalog a product catalog of the ad account's Business, item by item", async () => {
    const synced = await sync({
      catalogs: [
        {
          catalog_id: 'summer',
          name: 'Summer gear',
          type: 'product',
          items: [
            product('tent-2p', { price: { amount: 249.5, currency: 'USD' } }),
            product('stove', { availability: 'out_of_stock' }),
            product('mat', { brand: undefined }),
            product('lamp', { image_url: undefined }),
          ],
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [made] = catalogs();
    expect(made!.account).toBe('7001');
    expect(made!.fields.name).toMatch(/^Summer gear \[ix-[0-9a-f]{16}\]$/);
    const items = itemsOf(made!.id)!;
    // The lamp had no image (refused before Meta heard of it); Meta refused the mat (no brand).
    expect([...items.keys()].sort()).toEqual(['stove', 'tent-2p']);
    expect(items.get('tent-2p')).toMatchObject({
      title: 'Product tent-2p',
      price: '249.50 USD',
      availability: 'in stock',
      condition: 'new',
      link: 'https://acmeoutdoor.example/p/tent-2p',
      image_link: 'https://cdn.acmeoutdoor.example/tent-2p.jpg',
      brand: 'Acme',
    });
    expect(items.get('stove')).toMatchObject({ availability: 'out of stock' });
    const [result] = synced.catalogs;
    expect(result).toMatchObject({
      catalog_id: 'summer',
      action: 'created',
      platform_id: made!.id,
      item_count: 2,
      items_rejected: 2,
    });
    expect(result.item_issues).toEqual(
      expect.arrayContaining([
        {
          item_id: 'lamp',
          status: 'rejected',
          reasons: ['image_url is required (an http(s) URL)'],
        },
        {
          item_id: 'mat',
          status: 'rejected',
          reasons: ['One of brand, gtin or mpn is required'],
        },
      ]),
    );
  });

  it('changes, adds and removes items to match a later sync, and a retry changes nothing', async () => {
    const next = {
      catalogs: [
        {
          catalog_id: 'summer',
          type: 'product',
          items: [
            product('tent-2p', { price: { amount: 199, currency: 'USD' } }),
            product('mat'),
            product('chair'),
          ],
        },
      ],
    };
    const changed = await sync(next);
    expect(changed.catalogs[0]).toMatchObject({ action: 'updated', item_count: 3 });
    expect(changed.catalogs[0].changes).toContain('items');
    const [made] = catalogs();
    const items = itemsOf(made!.id)!;
    expect([...items.keys()].sort()).toEqual(['chair', 'mat', 'tent-2p']);
    expect(items.get('tent-2p')).toMatchObject({ price: '199.00 USD' });

    const batches = () => meta.state.calls.filter((c) => c.path.endsWith('/items_batch')).length;
    const before = batches();
    const again = await sync(next);
    expect(again.catalogs[0]).toMatchObject({ action: 'unchanged', item_count: 3 });
    expect(batches()).toBe(before);
    expect(catalogs()).toHaveLength(1);
    expect(itemsOf(made!.id)!.size).toBe(3);
  });

  it('answers a dry run with what would change, and writes nothing', async () => {
    const [made] = catalogs();
    const calls = meta.state.calls.length;
    const dry = await sync({
      dry_run: true,
      catalogs: [
        { catalog_id: 'summer', type: 'product', items: [product('tent-2p')] },
        { catalog_id: 'autumn', type: 'product', items: [product('boots')] },
      ],
    });
    expect(dry.dry_run).toBe(true);
    expect(dry.catalogs).toEqual([
      expect.objectContaining({ catalog_id: 'summer', action: 'updated', item_count: 1 }),
      expect.objectContaining({ catalog_id: 'autumn', action: 'created', item_count: 1 }),
    ]);
    // catalog_ids limits the sync to the catalogs it names.
    const limited = await sync({
      dry_run: true,
      catalog_ids: ['autumn'],
      catalogs: [
        { catalog_id: 'summer', type: 'product', items: [product('tent-2p')] },
        { catalog_id: 'autumn', type: 'product', items: [product('boots')] },
      ],
    });
    expect(limited.catalogs.map((c: { catalog_id: string }) => c.catalog_id)).toEqual(['autumn']);
    expect(meta.state.calls.length).toBe(calls);
    expect(catalogs()).toHaveLength(1);
    expect(itemsOf(made!.id)!.size).toBe(3);
  });

  it('refuses a catalog type Meta does not take here, by name, and syncs the rest', async () => {
    const mixed = await sync({
      catalogs: [
        { catalog_id: 'hotels', type: 'hotel', items: [{ hotel_id: 'h1', name: 'Inn' }] },
        {
          catalog_id: 'jobs-feed',
          type: 'product',
          url: 'https://acmeoutdoor.example/jobs.xml',
          feed_format: 'linkedin_jobs',
        },
        {
          catalog_id: 'summer',
          type: 'product',
          items: [
            product('tent-2p', { price: { amount: 199, currency: 'USD' } }),
            product('mat'),
            product('chair'),
          ],
        },
      ],
    });
    expect(mixed.isError, JSON.stringify(mixed)).toBe(false);
    const [hotels, jobs, summer] = mixed.catalogs;
    expect(hotels).toMatchObject({ catalog_id: 'hotels', action: 'failed' });
    expect(hotels.errors[0]).toMatchObject({ code: 'UNSUPPORTED_FEATURE', field: 'type' });
    expect(hotels.errors[0].message).toContain('"hotels" is a hotel catalog');
    expect(jobs.errors[0]).toMatchObject({ code: 'UNSUPPORTED_FEATURE', field: 'feed_format' });
    expect(summer).toMatchObject({ action: 'unchanged' });
    expect(catalogs()).toHaveLength(1);
  });

  it('registers a feed URL as a scheduled product feed Meta fetches itself', async () => {
    const fed = await sync({
      catalogs: [
        {
          catalog_id: 'outlet',
          name: 'Outlet',
          type: 'product',
          url: 'https://feeds.acmeoutdoor.example/outlet.xml',
          feed_format: 'google_merchant_center',
          update_frequency: 'hourly',
        },
      ],
    });
    expect(fed.catalogs[0]).toMatchObject({ catalog_id: 'outlet', action: 'created' });
    const [feed] = meta.state.ofKind('productfeed');
    expect(feed!.account).toBe(fed.catalogs[0].platform_id);
    expect(feed!.fields.schedule).toMatchObject({
      url: 'https://feeds.acmeoutdoor.example/outlet.xml',
      interval: 'HOURLY',
    });
  });

  it('finds a catalog whose create answer was lost instead of making another', async () => {
    meta.state.loseNextAnswer('/7001/owned_product_catalogs');
    const lost = await sync({
      catalogs: [{ catalog_id: 'winter', type: 'product', items: [product('sled')] }],
    });
    expect(lost.isError).toBe(true);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    const retried = await sync({
      catalogs: [{ catalog_id: 'winter', type: 'product', items: [product('sled')] }],
    });
    expect(retried.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
    const winter = catalogs().filter((c) => String(c.fields.name).startsWith('winter ['));
    expect(winter).toHaveLength(1);
    expect([...itemsOf(winter[0]!.id)!.keys()]).toEqual(['sled']);
  });

  it("keeps each buyer's catalogs its own, and delete_missing removes only the buyer's", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync(
        {
          catalogs: [
            { catalog_id: 'summer', type: 'product', items: [product('kayak')] },
            { catalog_id: 'paddles', type: 'product', items: [product('paddle')] },
          ],
        },
        other,
      );
      expect(theirs.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
      const mine = catalogs().find((c) => String(c.fields.name).startsWith('Summer gear'))!;
      expect(theirs.catalogs[0].platform_id).not.toBe(mine.id);
      expect([...itemsOf(mine.id)!.keys()].sort()).toEqual(['chair', 'mat', 'tent-2p']);
      const listed = await sync({}, other);
      expect(listed.catalogs.map((c: { catalog_id: string }) => c.catalog_id)).toEqual([
        'summer',
        'paddles',
      ]);

      // Their delete_missing removes their own other catalog only: mine stays at Meta.
      const count = catalogs().length;
      const pruned = await sync(
        {
          catalogs: [{ catalog_id: 'paddles', type: 'product', items: [product('paddle')] }],
          delete_missing: true,
        },
        other,
      );
      expect(pruned.catalogs).toEqual([
        expect.objectContaining({ catalog_id: 'paddles', action: 'unchanged' }),
        { catalog_id: 'summer', action: 'deleted' },
      ]);
      expect(catalogs()).toHaveLength(count - 1);
      expect(itemsOf(mine.id)!.size).toBe(3);
    } finally {
      await other.close();
    }

    const winter = { catalog_id: 'winter', type: 'product', items: [product('sled')] };
    const outcome = (answer: { catalogs: Array<{ catalog_id: string; action: string }> }) =>
      answer.catalogs.map((c) => `${c.catalog_id} ${c.action}`);
    const count = catalogs().length;
    const dryPrune = await sync({ dry_run: true, delete_missing: true, catalogs: [winter] });
    expect(outcome(dryPrune)).toEqual(['winter unchanged', 'summer deleted', 'outlet deleted']);
    expect(catalogs()).toHaveLength(count);
    const pruned = await sync({ delete_missing: true, catalogs: [winter] });
    expect(outcome(pruned)).toEqual(['winter unchanged', 'summer deleted', 'outlet deleted']);
    expect(
      catalogs()
        .map((c) => String(c.fields.name).split(' [')[0])
        .sort(),
    ).toEqual(['paddles', 'winter']);
  });

  it("reports Meta's throttling as an AdCP error, and a refused permission as the buyer's", async () => {
    meta.state.failNext(400, {
      message: 'There have been too many calls for the batch uploads',
      code: 80014,
    });
    const throttled = await sync({
      catalogs: [
        { catalog_id: 'winter', type: 'product', items: [product('sled'), product('skis')] },
      ],
    });
    expect(throttled.isError).toBe(true);
    expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');

    // A person without a catalog role in the Business is the buyer's error, not a lost grant.
    meta.state.failNext(403, { message: '(#200) Permissions error', code: 200 });
    const forbidden = await sync({
      catalogs: [{ catalog_id: 'spring', type: 'product', items: [product('kite')] }],
    });
    expect(forbidden.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
    const view = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('CONNECTED');
  });

  it('tells a buyer that a connection without catalog_management needs its operator to reconnect', async () => {
    meta.state.declined.add('catalog_management');
    const older = await metaStorefront(h);
    await connectMeta(h, older.seller.key);
    meta.state.declined.clear();
    const buyer = await liveBuyerAgent(h, base, older);
    try {
      const refused = await sync(
        { catalogs: [{ catalog_id: 'spring', type: 'product', items: [product('kite')] }] },
        buyer,
      );
      expect(refused.catalogs[0]).toMatchObject({ catalog_id: 'spring', action: 'failed' });
      expect(refused.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
      expect(refused.catalogs[0].errors[0].message).toContain('reconnect');
      expect(catalogs().filter((c) => String(c.fields.name).startsWith('spring ['))).toHaveLength(
        0,
      );
    } finally {
      await buyer.close();
    }
  });
});
