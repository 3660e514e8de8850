import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { liveBuyerAgent, sources } from './support.js';
import { connectReddit, redditEnv, redditStorefront } from './reddit-support.js';
import { product } from './catalog-support.js';

/*
 * A Reddit-backed storefront takes AdCP sync_catalogs: a buyer's product catalog becomes a
 * product catalog of the business that owns the connected ad account, holding exactly the buyer's
 * products (batch upserts and deletes keyed by the buyer's item ids), or a feed Reddit fetches
 * itself. The fake Reddit records every product batch it took; every catalog belongs to the
 * buyer that made it.
 */

let h: Harness;
let base: string;
let reddit: FakeReddit;
let sf: Awaited<ReturnType<typeof redditStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const business = 'b1a2c3d4-0000-4000-8000-000000000001';

beforeAll(async () => {
  reddit = await startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' });
  h = await createHarness(redditEnv(reddit));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  reddit.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await redditStorefront(h);
  await connectReddit(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await reddit?.close();
});

const catalogs = () => [...reddit.state.catalogs.entries()].map(([id, c]) => ({ id, ...c }));
const catalogNamed = (prefix: string) => catalogs().find((c) => c.name.startsWith(prefix))!;
const ids = (c: { products: Map<string, unknown> }) => [...c.products.keys()].sort();
const writesTo = (catalogId: string) =>
  reddit.state.catalogWrites.filter((w) => w.catalogId === catalogId);
const sync = (body: Record<string, unknown>, client = agent) =>
  client.call('sync_catalogs', { idempotency_key: randomUUID(), account, ...body });

describe('a storefront selling through Reddit, for catalogs', () => {
  it("makes a buyer's catalog a product catalog of the ad account's business", async () => {
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['sync_catalogs', 'sync_audiences']),
    );
    const synced = await sync({
      catalogs: [
        {
          catalog_id: 'trail',
          name: 'Trail gear',
          type: 'product',
          items: [
            product('tent', { sale_price: 39 }),
            product('stove', { availability: 'backorder' }),
            product('lamp', { image_url: undefined }),
            product('poles', { sale_price: 99 }),
            product('mat'),
          ],
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const made = catalogNamed('Trail gear [');
    expect(made).toMatchObject({ businessId: business, currency: 'USD', language: 'en' });
    expect(made.name).toMatch(/^Trail gear \[ix-[0-9a-f]{16}\]$/);
    expect(ids(made)).toEqual(['mat', 'stove', 'tent']);
    expect(made.products.get('tent')).toEqual({
      id: 'tent',
      title: 'Product tent',
      description: 'The tent, built to last.',
      link: 'https://acmeoutdoor.example/p/tent',
      image_link: 'https://cdn.acmeoutdoor.example/tent.jpg',
      price: '49.99 USD',
      sale_price: '39.00 USD',
      availability: 'IN_STOCK',
      condition: 'new',
      brand: 'Acme',
    });
    expect(made.products.get('stove')).toMatchObject({ availability: 'BACKORDER' });
    expect(synced.catalogs[0]).toMatchObject({
      catalog_id: 'trail',
      action: 'created',
      platform_id: made.id,
      item_count: 3,
      items_rejected: 2,
    });
    // The lamp had no image (refused before Reddit heard of it); Reddit refused the poles.
    expect(synced.catalogs[0].item_issues).toEqual([
      expect.objectContaining({ item_id: 'lamp', status: 'rejected' }),
      {
        item_id: 'poles',
        status: 'rejected',
        reasons: ['The sale price must be lower than the price'],
      },
    ]);
  });

  it('writes only what changed: one product changed, one removed, one added; a dry run and a retry write nothing', async () => {
    const next = {
      catalogs: [
        {
          catalog_id: 'trail',
          type: 'product',
          items: [
            product('tent', { sale_price: 39, price: { amount: 59, currency: 'USD' } }),
            product('stove', { availability: 'backorder' }),
            product('bottle'),
          ],
        },
      ],
    };
    const made = catalogNamed('Trail gear [');
    const calls = reddit.state.calls.length;
    const dry = await sync({ ...next, dry_run: true });
    expect(dry).toMatchObject({ dry_run: true });
    expect(dry.catalogs[0]).toMatchObject({ action: 'updated', item_count: 3 });
    expect(reddit.state.calls.length).toBe(calls);
    expect(ids(made)).toEqual(['mat', 'stove', 'tent']);

    const before = writesTo(made.id).length;
    const changed = await sync(next);
    expect(changed.catalogs[0]).toMatchObject({
      action: 'updated',
      item_count: 3,
      changes: ['items'],
    });
    expect(writesTo(made.id).slice(before)).toEqual([
      { catalogId: made.id, op: 'upsert', ids: ['tent', 'bottle'] },
      { catalogId: made.id, op: 'delete', ids: ['mat'] },
    ]);
    expect(ids(made)).toEqual(['bottle', 'stove', 'tent']);
    expect(made.products.get('tent')).toMatchObject({ price: '59.00 USD' });

    const again = await sync(next);
    expect(again.catalogs[0]).toMatchObject({ action: 'unchanged', item_count: 3 });
    expect(writesTo(made.id)).toHaveLength(before + 2);
    expect(catalogs()).toHaveLength(1);
  });

  it('registers a feed URL Reddit fetches, and refuses what Reddit does not take by name', async () => {
    const answer = await sync({
      catalogs: [
        {
          catalog_id: 'clearance',
          type: 'product',
          url: 'https://feeds.acmeoutdoor.example/clearance.xml',
          feed_format: 'google_merchant_center',
          update_frequency: 'weekly',
        },
        { catalog_id: 'plain', type: 'product', url: 'http://feeds.acmeoutdoor.example/a.csv' },
        { catalog_id: 'hotels', type: 'hotel', items: [{ hotel_id: 'h1', name: 'Lodge' }] },
      ],
    });
    expect(answer.catalogs[0]).toMatchObject({ catalog_id: 'clearance', action: 'created' });
    const feedCatalog = reddit.state.catalogs.get(answer.catalogs[0].platform_id)!;
    expect([...feedCatalog.feeds.values()]).toEqual([
      expect.objectContaining({
        url: 'https://feeds.acmeoutdoor.example/clearance.xml',
        mode: 'REPLACE',
        schedule: { interval: 'WEEKLY', interval_count: 1 },
      }),
    ]);
    expect(answer.catalogs[1].errors[0]).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      field: 'url',
      message: 'Reddit fetches feeds over https only',
    });
    expect(answer.catalogs[2].errors[0]).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      message: 'Reddit takes product catalogs here: "hotels" is a hotel catalog',
    });
    expect(catalogs()).toHaveLength(2);

    const daily = await sync({
      catalogs: [
        {
          catalog_id: 'clearance',
          type: 'product',
          url: 'https://feeds.acmeoutdoor.example/clearance.xml',
          update_frequency: 'daily',
        },
      ],
    });
    expect(daily.catalogs[0]).toMatchObject({ action: 'updated', changes: ['update_frequency'] });
    expect([...feedCatalog.feeds.values()]).toEqual([
      expect.objectContaining({ schedule: { interval: 'DAILY', interval_count: 1 } }),
    ]);
  });

  it('finds a catalog whose create answer was lost, and reports rate limits with a time to wait', async () => {
    reddit.state.loseAnswerOf = '/product_catalogs';
    const body = { catalogs: [{ catalog_id: 'camp', type: 'product', items: [product('chair')] }] };
    const lost = await sync(body);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    reddit.state.failNext(
      429,
      { error: { code: 429, message: 'Too Many Requests' } },
      '/product_catalogs/',
    );
    const limited = await sync(body);
    expect(JSON.stringify(limited)).toContain('RATE_LIMITED');
    expect(JSON.stringify(limited)).toMatch(/retry_after\\?":60\b/);
    // The throttled product batch is sent again; the catalog found by name is the one made.
    const made = await sync(body);
    const camp = catalogs().filter((c) => c.name.startsWith('camp ['));
    expect(camp).toHaveLength(1);
    expect(made.catalogs[0]).toMatchObject({ platform_id: camp[0]!.id, item_count: 1 });
    expect(ids(camp[0]!)).toEqual(['chair']);
  });

  it("keeps each buyer's catalogs its own; a refused catalog role is not a lost connection", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync(
        { catalogs: [{ catalog_id: 'trail', type: 'product', items: [product('hammock')] }] },
        other,
      );
      expect(theirs.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
      const mine = catalogNamed('Trail gear [');
      expect(theirs.catalogs[0].platform_id).not.toBe(mine.id);
      expect(ids(mine)).toEqual(['bottle', 'stove', 'tent']);

      const listed = await sync({}, other);
      expect(listed.catalogs.map((c: { catalog_id: string }) => c.catalog_id)).toEqual(['trail']);
      const pruned = await sync(
        {
          delete_missing: true,
          catalogs: [{ catalog_id: 'porch', type: 'product', items: [product('swing')] }],
        },
        other,
      );
      expect(pruned.catalogs[1]).toEqual({ catalog_id: 'trail', action: 'deleted' });
      expect(reddit.state.catalogs.has(theirs.catalogs[0].platform_id)).toBe(false);
      expect(reddit.state.catalogs.has(mine.id)).toBe(true);
    } finally {
      await other.close();
    }

    reddit.state.failNext(403, { error: { code: 403, message: 'Forbidden' } }, '/businesses/');
    const forbidden = await sync({
      catalogs: [{ catalog_id: 'deck', type: 'product', items: [product('grill')] }],
    });
    expect(forbidden.catalogs[0]).toMatchObject({ catalog_id: 'deck', action: 'failed' });
    expect(forbidden.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
    const view = await h.call('GET', `${sources}/reddit/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('CONNECTED');
  });
});
