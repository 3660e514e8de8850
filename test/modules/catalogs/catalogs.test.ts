import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOfferings } from '../../../src/cli/import-offerings.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Catalogs and offerings through HTTP: seed 004's CRUD with the archive cascade, the hosted
 * AdCP sync with versions and validation modes, streamed bulk import (JSON lines and CSV, also
 * through the CLI's uploader over a real socket), and isolation.
 */
let h: Harness;
let buyer: TestCustomer;
let baseUrl: string;
beforeAll(async () => {
  h = await createHarness();
  buyer = await createCustomer(h, { role: 'BUYER' });
  baseUrl = await listen(h);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function advertiser(who: TestCustomer = buyer): Promise<string> {
  const res = await h.call('POST', '/api/v2/buyer/advertisers', {
    key: who.key,
    body: { name: 'Acme', brand: 'acme.example', primaryCurrency: 'USD' },
  });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}
const catalogsOf = (id: string) => `/api/v2/buyer/advertisers/${id}/catalogs`;

async function importBody(url: string, body: string, contentType: string, key = buyer.key) {
  const res = await h.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

describe('catalog and offering CRUD (seed 004)', () => {
  it('creates, reads, updates and archives with the cascade', async () => {
    const id = await advertiser();
    const created = await h.call('POST', catalogsOf(id), {
      key: buyer.key,
      body: {
        name: 'Summer Products',
        type: 'product',
        description: 'Summer 2025 product catalog',
      },
    });
    expect(created.status).toBe(201);
    const cat = created.body.data;
    expect(cat).toMatchObject({
      catalogId: expect.stringMatching(/^cat_/),
      type: 'product',
      name: 'Summer Products',
      itemCount: 0,
      syncStatus: 'not_synced',
      advertiserId: id,
    });
    const offerings = `${catalogsOf(id)}/${cat.catalogId}/offerings`;
    const offering = await h.call('POST', offerings, {
      key: buyer.key,
      body: {
        offeringId: 'sku_001',
        title: 'Wireless Headphones',
        description: 'Premium noise-cancelling headphones',
        price: 299.99,
        currency: 'USD',
        landingUrl: 'https://example.com/products/headphones',
      },
    });
    expect(offering.status).toBe(201);
    expect(offering.body.data).toMatchObject({
      offeringId: 'sku_001',
      price: 299.99,
      status: 'ACTIVE',
    });
    const dup = await h.call('POST', offerings, {
      key: buyer.key,
      body: { offeringId: 'sku_001' },
    });
    expect(dup.status).toBe(409);
    const badUrl = await h.call('POST', offerings, {
      key: buyer.key,
      body: { offeringId: 'sku_002', landingUrl: 'javascript:alert(1)' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.field).toBe('landingUrl');

    const updated = await h.call('PUT', `${offerings}/sku_001`, {
      key: buyer.key,
      body: { price: 249 },
    });
    expect(updated.body.data).toMatchObject({ price: 249, title: 'Wireless Headphones' });
    const got = await h.call('GET', `${catalogsOf(id)}/${cat.catalogId}`, { key: buyer.key });
    expect(got.body.data).toMatchObject({
      itemCount: 1,
      latestVersionNumber: 2,
      syncStatus: 'synced',
    });
    const typeChange = await h.call('PUT', `${catalogsOf(id)}/${cat.catalogId}`, {
      key: buyer.key,
      body: { type: 'hotel' },
    });
    expect(typeChange.status).toBe(400);
    expect(typeChange.body.error.field).toBe('type');

    // A typed catalog checks its items against AdCP's schema for the type.
    const hotels = await h.call('POST', catalogsOf(id), {
      key: buyer.key,
      body: { catalogId: 'hotels', name: 'Hotels', type: 'hotel' },
    });
    expect(hotels.status).toBe(201);
    const noLocation = await h.call('POST', `${catalogsOf(id)}/hotels/offerings`, {
      key: buyer.key,
      body: { offeringId: 'h1', title: 'Grand' },
    });
    expect(noLocation.status).toBe(400);
    expect(noLocation.body.error.field).toBe('attributes.location');
    const withLocation = await h.call('POST', `${catalogsOf(id)}/hotels/offerings`, {
      key: buyer.key,
      body: { offeringId: 'h1', title: 'Grand', attributes: { location: { city: 'Paris' } } },
    });
    expect(withLocation.status).toBe(201);
    expect(withLocation.body.data.attributes).toMatchObject({ hotel_id: 'h1', name: 'Grand' });

    const listed = await h.call('GET', `${catalogsOf(id)}?type=hotel`, { key: buyer.key });
    expect(listed.body.data.catalogs.map((c: { catalogId: string }) => c.catalogId)).toEqual([
      'hotels',
    ]);

    expect(
      (await h.call('DELETE', `${catalogsOf(id)}/${cat.catalogId}`, { key: buyer.key })).status,
    ).toBe(200);
    const archivedItems = await h.call('GET', `${offerings}?status=ARCHIVED`, { key: buyer.key });
    expect(
      archivedItems.body.data.offerings.map((o: { offeringId: string }) => o.offeringId),
    ).toEqual(['sku_001']);
    const active = await h.call('GET', catalogsOf(id), { key: buyer.key });
    expect(active.body.data.total).toBe(1);
    const write = await h.call('POST', offerings, { key: buyer.key, body: { offeringId: 'x' } });
    expect(write.status).toBe(409);
  });
});

describe('catalogs/sync (hosted AdCP sync_catalogs)', () => {
  const items = (n: number, price = 10) =>
    Array.from({ length: n }, (_, i) => ({ item_id: `p${i}`, title: `Product ${i}`, price }));

  it('upserts with versions, reports item changes, validates by mode, and dry-runs', async () => {
    const id = await advertiser();
    const sync = (body: unknown) =>
      h.call('POST', `${catalogsOf(id)}/sync`, { key: buyer.key, body });
    const first = await sync({
      account: { account_id: id },
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: items(5) }],
    });
    expect(first.status).toBe(200);
    expect(first.body.data.catalogs[0]).toMatchObject({
      catalog_id: 'feed',
      action: 'created',
      item_count: 5,
      catalog_version_number: 1,
      item_changes: { added: 5, updated: 0, unchanged: 0, removed: 0 },
    });
    const same = await sync({
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: items(5) }],
    });
    expect(same.body.data.catalogs[0]).toMatchObject({
      action: 'unchanged',
      catalog_version_number: 1,
    });

    const next = items(4);
    next[0] = { ...next[0]!, price: 12 };
    const changed = await sync({
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: next }],
    });
    expect(changed.body.data.catalogs[0]).toMatchObject({
      action: 'updated',
      item_count: 4,
      catalog_version_number: 2,
      item_changes: { added: 0, updated: 1, unchanged: 3, removed: 1 },
    });

    const broken = [...items(2), { title: 'no id' }, { item_id: 'p9', price: 'free' }];
    const strict = await sync({
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: broken }],
    });
    expect(strict.body.data.catalogs[0]).toMatchObject({ action: 'failed', items_rejected: 2 });
    expect(strict.body.data.catalogs[0].item_issues).toEqual([
      expect.objectContaining({ field: 'item_id', severity: 'error' }),
      expect.objectContaining({ item_id: 'p9', field: 'price' }),
    ]);
    const dry = await sync({
      dry_run: true,
      validation_mode: 'lenient',
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: broken }],
    });
    expect(dry.body.data).toMatchObject({
      dry_run: true,
      catalogs: [{ action: 'updated', items_rejected: 2 }],
    });
    const afterDry = await h.call('GET', `${catalogsOf(id)}/feed`, { key: buyer.key });
    expect(afterDry.body.data.itemCount).toBe(4);
    const lenient = await sync({
      validation_mode: 'lenient',
      catalogs: [{ catalog_id: 'feed', type: 'product', name: 'Feed', items: broken }],
    });
    expect(lenient.body.data.catalogs[0]).toMatchObject({
      action: 'updated',
      item_count: 2,
      items_rejected: 2,
    });

    const second = await sync({ catalogs: [{ catalog_id: 'jobs', type: 'job', items: [] }] });
    expect(second.body.data.catalogs[0].action).toBe('created');
    const pruned = await sync({
      catalogs: [{ catalog_id: 'jobs', type: 'job' }],
      delete_missing: true,
    });
    expect(pruned.body.data.catalogs).toEqual([
      expect.objectContaining({ catalog_id: 'jobs', action: 'unchanged' }),
      expect.objectContaining({ catalog_id: 'feed', action: 'deleted' }),
    ]);
    const list = await h.call('GET', catalogsOf(id), { key: buyer.key });
    expect(list.body.data.catalogs.map((c: { catalogId: string }) => c.catalogId)).toEqual([
      'jobs',
    ]);
    const got = await h.call('GET', `${catalogsOf(id)}/feed`, { key: buyer.key });
    expect(got.body.data).toMatchObject({ status: 'ARCHIVED', versions: expect.any(Array) });
    expect(got.body.data.versions.map((v: { versionNumber: number }) => v.versionNumber)).toEqual([
      3, 2, 1,
    ]);

    const both = await sync({
      catalogs: [{ catalog_id: 'x', type: 'product', url: 'https://a.example/f.xml', items: [] }],
    });
    expect(both.status).toBe(400);
    const none = await sync({});
    expect(none.status).toBe(400);
  });
});

describe('bulk import', () => {
  it('streams JSON lines and CSV, reports bad rows by line, and re-imports idempotently', async () => {
    const id = await advertiser();
    await h.call('POST', catalogsOf(id), {
      key: buyer.key,
      body: { catalogId: 'big', name: 'Big', type: 'product' },
    });
    const url = `${catalogsOf(id)}/big/offerings/import`;
    const lines = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ offeringId: `sku-${i}`, title: `Item ${i}`, price: i, currency: 'EUR' }),
    );
    lines.splice(10, 0, '{not json');
    lines.splice(20, 0, JSON.stringify({ item_id: 'adcp-style', title: 'From AdCP', price: 3 }));
    lines.splice(
      30,
      0,
      JSON.stringify({ offeringId: 'sku-1', title: 'Item 1 again', price: 1, currency: 'EUR' }),
    );
    const res = await importBody(url, lines.join('\n'), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      received: 2503,
      added: 2501,
      rejected: 1,
      repeated: 1,
      itemCount: 2501,
      versionNumber: 1,
      issues: [{ line: 11, issue: expect.stringContaining('not a JSON object') }],
    });
    const again = await importBody(url, lines.join('\n'), 'application/x-ndjson');
    expect(again.body.data).toMatchObject({
      added: 0,
      updated: 0,
      itemCount: 2501,
      versionNumber: 1,
    });

    const csv = [
      'sku,title,price,landing_url,color',
      'sku-0,"Item 0, renamed",0,https://shop.example/0,red',
      'sku-new,"Multi',
      'line ""quoted"" title",5,,blue',
      'sku-bad,Too,many,fields,here,extra',
    ].join('\r\n');
    const fromCsv = await importBody(url, csv, 'text/csv');
    expect(fromCsv.body.data).toMatchObject({
      received: 3,
      added: 1,
      updated: 1,
      rejected: 1,
      itemCount: 2502,
    });
    expect(fromCsv.body.data.issues[0]).toMatchObject({ line: 5 });
    const multi = await h.call('GET', `${catalogsOf(id)}/big/offerings/sku-new`, {
      key: buyer.key,
    });
    expect(multi.body.data).toMatchObject({
      title: 'Multi\r\nline "quoted" title',
      price: 5,
      attributes: { color: 'blue' },
    });

    const json = await h.call('POST', url, { key: buyer.key, body: { offeringId: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.error.field).toBe('content-type');
  });

  it('uploads a file through the CLI uploader with a progress bar, over a real socket', async () => {
    const id = await advertiser();
    await h.call('POST', catalogsOf(id), {
      key: buyer.key,
      body: { catalogId: 'cli', name: 'CLI', type: 'offering' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'ix-import-'));
    const file = join(dir, 'offerings.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ offering_id: `o${i}`, name: `Offer ${i}` }),
      ).join('\n'),
    );
    const written: string[] = [];
    const progress = {
      isTTY: false,
      write: (s: string) => written.push(s),
    } as unknown as NodeJS.WriteStream;
    const result = await importOfferings({
      file,
      url: baseUrl,
      key: buyer.key,
      advertiser: id,
      catalog: 'cli',
      progress,
    });
    expect(result).toMatchObject({ received: 3000, added: 3000, itemCount: 3000 });
    expect(written.at(-1)).toContain('100%');
    await expect(
      importOfferings({
        file,
        url: baseUrl,
        key: buyer.key,
        advertiser: id,
        catalog: 'missing',
        progress,
      }),
    ).rejects.toThrow(/404 NOT_FOUND/);
  });
});

describe('isolation', () => {
  it("answers NOT_FOUND for another customer's catalogs and offerings", async () => {
    const id = await advertiser();
    await h.call('POST', catalogsOf(id), {
      key: buyer.key,
      body: { catalogId: 'mine', name: 'Mine', type: 'product' },
    });
    await h.call('POST', `${catalogsOf(id)}/mine/offerings`, {
      key: buyer.key,
      body: { offeringId: 'a' },
    });
    const other = await createCustomer(h, { role: 'BUYER' });
    for (const res of [
      await h.call('GET', catalogsOf(id), { key: other.key }),
      await h.call('GET', `${catalogsOf(id)}/mine`, { key: other.key }),
      await h.call('GET', `${catalogsOf(id)}/mine/offerings/a`, { key: other.key }),
      await h.call('PUT', `${catalogsOf(id)}/mine/offerings/a`, {
        key: other.key,
        body: { title: 'x' },
      }),
      await h.call('DELETE', `${catalogsOf(id)}/mine`, { key: other.key }),
      await h.call('POST', `${catalogsOf(id)}/sync`, {
        key: other.key,
        body: { catalogs: [{ catalog_id: 'mine', type: 'product', items: [] }] },
      }),
      await importBody(
        `${catalogsOf(id)}/mine/offerings/import`,
        '{"offeringId":"b"}',
        'application/x-ndjson',
        other.key,
      ),
    ]) {
      expect(res.status).toBe(404);
    }
    const still = await h.call('GET', `${catalogsOf(id)}/mine`, { key: buyer.key });
    expect(still.body.data).toMatchObject({ status: 'ACTIVE', itemCount: 1 });
  });
});
