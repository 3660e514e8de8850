import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { snapError } from '../../../src/sandbox/fakes/snap/http.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import { liveBuyerAgent, sources } from './support.js';
import { connectSnap, snapEnv, snapStorefront } from './snap-support.js';
import { product } from './catalog-support.js';

/*
 * A Snap-backed storefront takes AdCP sync_catalogs for feeds: a buyer's product catalog becomes
 * a commerce catalog of the organization that owns the connected ad account, filled by a product
 * feed Snap fetches from the buyer's URL on the buyer's schedule. Snap documents no call that
 * writes a product, so inline items are refused by name. The fake Snap holds the catalogs and
 * feeds; every catalog belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let snap: FakeSnap;
let sf: Awaited<ReturnType<typeof snapStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const organization = '6c3a1e4f-0000-4c1d-9a51-0a0a0a0a0a01';
const feedUrl = 'https://feeds.acmeoutdoor.example/summer.xml';

beforeAll(async () => {
  snap = await startFakeSnap({ clientId: 'snap-client-7', clientSecret: 'snap-secret-cat4log' });
  h = await createHarness(snapEnv(snap));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  snap.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await snapStorefront(h);
  await connectSnap(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await snap?.close();
});

const catalogs = () => [...snap.state.catalogs.values()];
const catalogNamed = (prefix: string) =>
  catalogs().filter((c) => String(c.fields.name).startsWith(prefix));
const feedsOf = (id: string) => [...snap.state.catalogs.get(id)!.feeds.values()];
const writes = () => snap.state.calls.filter((c) => c.method !== 'GET');
const sync = (body: Record<string, unknown>, client = agent) =>
  client.call('sync_catalogs', { idempotency_key: randomUUID(), account, ...body });
const summer = (extra: Record<string, unknown> = {}) => ({
  catalog_id: 'summer',
  name: 'Summer gear',
  type: 'product',
  url: feedUrl,
  feed_format: 'google_merchant_center',
  update_frequency: 'daily',
  ...extra,
});

describe('a storefront selling through Snap, for catalogs', () => {
  it("makes a buyer's feed a commerce catalog of the ad account's organization", async () => {
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['sync_catalogs', 'sync_audiences']),
    );
    const synced = await sync({ catalogs: [summer()] });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [made] = catalogNamed('Summer gear [');
    expect(made).toMatchObject({ organizationId: organization, fields: { vertical: 'COMMERCE' } });
    expect(made!.fields.name).toMatch(/^Summer gear \[ix-[0-9a-f]{16}\]$/);
    expect(feedsOf(made!.id)).toEqual([
      expect.objectContaining({
        catalog_id: made!.id,
        name: made!.fields.name,
        default_currency: 'GBP',
        status: 'ACTIVE',
        schedule: { url: feedUrl, interval_type: 'HOURLY', interval_count: 24 },
      }),
    ]);
    expect(synced.catalogs[0]).toMatchObject({
      catalog_id: 'summer',
      action: 'created',
      platform_id: made!.id,
      warnings: [expect.stringContaining('fetches the feed itself')],
    });
  });

  it('refuses inline items, other catalog types and feed formats Snap does not read, by name', async () => {
    const before = writes().length;
    const refused = await sync({
      catalogs: [
        { catalog_id: 'patio', type: 'product', items: [product('bench'), product('planter')] },
        { catalog_id: 'lodges', type: 'hotel', url: 'https://feeds.acmeoutdoor.example/h.xml' },
        {
          catalog_id: 'shop',
          type: 'product',
          url: 'https://feeds.acmeoutdoor.example/shop.json',
          feed_format: 'shopify',
        },
      ],
    });
    expect(refused.catalogs.map((c: { errors: Array<{ field: string }> }) => c.errors[0])).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_FEATURE',
        field: 'items',
        message:
          "Snap fills catalogs from a feed it fetches: give the feed's url, not inline items",
      }),
      expect.objectContaining({
        code: 'UNSUPPORTED_FEATURE',
        message: 'Snap takes product catalogs here: "lodges" is a hotel catalog',
      }),
      expect.objectContaining({ code: 'UNSUPPORTED_FEATURE', field: 'feed_format' }),
    ]);
    expect(writes()).toHaveLength(before);
    expect(catalogs()).toHaveLength(1);
  });

  it("changes the feed's schedule on a later sync; a retry and a dry run write nothing", async () => {
    const [made] = catalogNamed('Summer gear [');
    const before = writes().length;
    const dry = await sync({ catalogs: [summer({ update_frequency: 'weekly' })], dry_run: true });
    expect(dry).toMatchObject({ dry_run: true });
    expect(dry.catalogs[0]).toMatchObject({ action: 'updated', changes: ['update_frequency'] });
    expect(writes()).toHaveLength(before);

    const weekly = await sync({ catalogs: [summer({ update_frequency: 'weekly' })] });
    expect(weekly.catalogs[0]).toMatchObject({ action: 'updated', changes: ['update_frequency'] });
    // Snap's feed is put back whole with its new schedule: still one feed.
    expect(feedsOf(made!.id)).toEqual([
      expect.objectContaining({
        schedule: { url: feedUrl, interval_type: 'HOURLY', interval_count: 168 },
      }),
    ]);
    expect(writes().slice(before)).toEqual([
      expect.objectContaining({ method: 'PUT', path: `/catalogs/${made!.id}/product_feeds` }),
    ]);

    const again = await sync({ catalogs: [summer({ update_frequency: 'weekly' })] });
    expect(again.catalogs[0]).toMatchObject({ action: 'unchanged' });
    expect(writes()).toHaveLength(before + 1);
  });

  it('finds a catalog whose create answer was lost, and reports rate limits with a time to wait', async () => {
    snap.state.loseAnswerOf = 'catalog';
    const body = {
      catalogs: [
        { catalog_id: 'camp', type: 'product', url: 'https://feeds.acmeoutdoor.example/c.csv' },
      ],
    };
    const lost = await sync(body);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    // Snap's limits are per second: a read is tried once more a second later, then reported.
    const limited = snapError('E1008', 'Rate limit exceeded');
    snap.state.failNext(429, limited, '/organizations/');
    snap.state.failNext(429, limited, '/organizations/');
    const throttled = await sync(body);
    expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');
    expect(JSON.stringify(throttled)).toMatch(/retry_after\\?":5\b/);
    const made = await sync(body);
    expect(made.catalogs[0]).toMatchObject({ action: 'created' });
    const camp = catalogNamed('camp [');
    expect(camp).toHaveLength(1);
    expect(made.catalogs[0].platform_id).toBe(camp[0]!.id);
    expect(feedsOf(camp[0]!.id)).toHaveLength(1);
  });

  it("keeps each buyer's catalogs its own; a refused organization role is not a lost connection", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync({ catalogs: [summer({ name: 'Their summer' })] }, other);
      expect(theirs.catalogs[0]).toMatchObject({ action: 'created' });
      const [mine] = catalogNamed('Summer gear [');
      expect(theirs.catalogs[0].platform_id).not.toBe(mine!.id);

      const pruned = await sync(
        {
          delete_missing: true,
          catalogs: [{ catalog_id: 'porch', type: 'product', url: 'https://feeds.example/p.csv' }],
        },
        other,
      );
      expect(pruned.catalogs[1]).toEqual({ catalog_id: 'summer', action: 'deleted' });
      expect(snap.state.catalogs.has(theirs.catalogs[0].platform_id)).toBe(false);
      expect(snap.state.catalogs.has(mine!.id)).toBe(true);
    } finally {
      await other.close();
    }

    snap.state.failNext(403, snapError('E1003', 'Forbidden'), '/organizations/');
    const forbidden = await sync({
      catalogs: [{ catalog_id: 'deck', type: 'product', url: 'https://feeds.example/d.csv' }],
    });
    expect(forbidden.catalogs[0]).toMatchObject({ catalog_id: 'deck', action: 'failed' });
    expect(forbidden.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
    const view = await h.call('GET', `${sources}/snap/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('CONNECTED');
  });
});
