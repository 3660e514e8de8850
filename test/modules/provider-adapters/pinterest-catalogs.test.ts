import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import { liveBuyerAgent, sources } from './support.js';
import { connectPinterest, pinterestEnv, pinterestStorefront } from './pinterest-support.js';
import { product } from './catalog-support.js';

/*
 * A Pinterest-backed storefront takes AdCP sync_catalogs: a buyer's product catalog becomes a
 * retail catalog of the connected ad account's owner holding exactly the buyer's items, written
 * by Pinterest's item batches (UPSERT and DELETE by item id). The fake Pinterest judges what the
 * catalog holds; every catalog belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let pinterest: FakePinterest;
let sf: Awaited<ReturnType<typeof pinterestStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const adAccount = '549755885175';

beforeAll(async () => {
  pinterest = await startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' });
  h = await createHarness(pinterestEnv(pinterest));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  pinterest.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await pinterestStorefront(h);
  await connectPinterest(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await pinterest?.close();
});

const catalogs = () => [...pinterest.state.catalogs.values()];
const itemsOf = (id: string) => pinterest.state.catalogItems.get(id)!;
const sync = (body: Record<string, unknown>, client = agent) =>
  client.call('sync_catalogs', { idempotency_key: randomUUID(), account, ...body });

describe('a storefront selling through Pinterest, for catalogs', () => {
  it('offers sync_catalogs beside the other sales-social tools', async () => {
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['sync_catalogs', 'sync_audiences']),
    );
  });

  it("makes a buyer's catalog a retail catalog holding exactly its items", async () => {
    const synced = await sync({
      catalogs: [
        {
          catalog_id: 'patio',
          name: 'Patio',
          type: 'product',
          items: [
            product('bench', { sale_price: 39 }),
            product('planter'),
            product('parasol', { price: { amount: 'cheap' } }),
            product('swing', { sale_price: 99 }),
          ],
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [made] = catalogs();
    expect(made).toMatchObject({ owner: adAccount, catalog_type: 'RETAIL' });
    expect(made!.name).toMatch(/^Patio \[ix-[0-9a-f]{16}\]$/);
    expect([...itemsOf(made!.id).keys()].sort()).toEqual(['bench', 'planter']);
    expect(itemsOf(made!.id).get('bench')).toMatchObject({
      title: 'Product bench',
      price: '49.99 USD',
      sale_price: '39.00 USD',
      availability: 'in stock',
      link: 'https://acmeoutdoor.example/p/bench',
      image_link: ['https://cdn.acmeoutdoor.example/bench.jpg'],
    });
    expect(synced.catalogs[0]).toMatchObject({
      catalog_id: 'patio',
      action: 'created',
      platform_id: made!.id,
      item_count: 2,
      items_rejected: 2,
    });
    // The parasol's price was refused before Pinterest heard of it; Pinterest refused the swing.
    expect(synced.catalogs[0].item_issues).toEqual([
      expect.objectContaining({ item_id: 'parasol', status: 'rejected' }),
      {
        item_id: 'swing',
        status: 'rejected',
        reasons: ['The sale_price must be lower than the price'],
      },
    ]);
  });

  it('changes and removes items to match a later sync; a retry and a dry run write nothing', async () => {
    const next = {
      catalogs: [
        {
          catalog_id: 'patio',
          type: 'product',
          items: [product('bench', { price: { amount: 79, currency: 'USD' } }), product('lantern')],
        },
      ],
    };
    const dry = await sync({ ...next, dry_run: true });
    expect(dry).toMatchObject({ dry_run: true });
    expect(dry.catalogs[0]).toMatchObject({ action: 'updated', item_count: 2 });
    const [made] = catalogs();
    expect([...itemsOf(made!.id).keys()].sort()).toEqual(['bench', 'planter']);

    const changed = await sync(next);
    expect(changed.catalogs[0]).toMatchObject({ action: 'updated', item_count: 2 });
    expect([...itemsOf(made!.id).keys()].sort()).toEqual(['bench', 'lantern']);
    expect(itemsOf(made!.id).get('bench')).toMatchObject({ price: '79.00 USD' });

    const batches = pinterest.state.batches.size;
    const again = await sync(next);
    expect(again.catalogs[0]).toMatchObject({ action: 'unchanged', item_count: 2 });
    expect(pinterest.state.batches.size).toBe(batches);
    expect(catalogs()).toHaveLength(1);
  });

  it('refuses other catalog types and feed URLs by name', async () => {
    const refused = await sync({
      catalogs: [
        { catalog_id: 'stores', type: 'store', items: [{ store_id: 's1', name: 'Shop' }] },
        { catalog_id: 'feed', type: 'product', url: 'https://acmeoutdoor.example/feed.xml' },
      ],
    });
    expect(refused.catalogs[0].errors[0]).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      message: 'Pinterest takes product catalogs here: "stores" is a store catalog',
    });
    expect(refused.catalogs[1].errors[0]).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      field: 'url',
    });
    expect(catalogs()).toHaveLength(1);
  });

  it('finds a catalog whose create answer was lost, and reports rate limits', async () => {
    pinterest.state.loseNextAnswer('/catalogs');
    const lost = await sync({
      catalogs: [{ catalog_id: 'balcony', type: 'product', items: [product('chair')] }],
    });
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    pinterest.state.failNext(429, { code: 8, message: 'Rate limit exceeded.' }, '/catalogs');
    const limited = await sync({
      catalogs: [{ catalog_id: 'balcony', type: 'product', items: [product('chair')] }],
    });
    expect(JSON.stringify(limited)).toContain('RATE_LIMITED');
    const made = await sync({
      catalogs: [{ catalog_id: 'balcony', type: 'product', items: [product('chair')] }],
    });
    expect(made.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
    expect(catalogs().filter((c) => c.name.startsWith('balcony ['))).toHaveLength(1);
  });

  it("keeps each buyer's catalogs its own; a refused catalog role is not a lost connection", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync(
        { catalogs: [{ catalog_id: 'patio', type: 'product', items: [product('hammock')] }] },
        other,
      );
      expect(theirs.catalogs[0]).toMatchObject({ action: 'created', item_count: 1 });
      const mine = catalogs().find((c) => c.name.startsWith('Patio ['))!;
      expect(theirs.catalogs[0].platform_id).not.toBe(mine.id);
      expect([...itemsOf(mine.id).keys()].sort()).toEqual(['bench', 'lantern']);

      const pruned = await sync(
        {
          delete_missing: true,
          catalogs: [{ catalog_id: 'porch', type: 'product', items: [product('swing')] }],
        },
        other,
      );
      // Pinterest deletes no catalog: theirs is emptied, mine untouched.
      expect(pruned.catalogs[1]).toEqual({ catalog_id: 'patio', action: 'deleted' });
      expect(itemsOf(theirs.catalogs[0].platform_id).size).toBe(0);
      expect(itemsOf(mine.id).size).toBe(2);
    } finally {
      await other.close();
    }

    pinterest.state.failNext(403, { code: 29, message: 'Not permitted.' }, '/catalogs');
    const forbidden = await sync({
      catalogs: [{ catalog_id: 'deck', type: 'product', items: [product('grill')] }],
    });
    expect(forbidden.catalogs[0]).toMatchObject({ catalog_id: 'deck', action: 'failed' });
    expect(forbidden.catalogs[0].errors[0].code).toBe('AUTH_REQUIRED');
    const view = await h.call('GET', `${sources}/pinterest/adapter`, { key: sf.seller.key });
    expect(view.body.data.status).toBe('CONNECTED');
  });
});
