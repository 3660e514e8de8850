import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const base = '/api/v2/storefront/product-rules';

async function create(seller: TestCustomer, body: Record<string, unknown>) {
  const res = await h.call('POST', base, { key: seller.key, body });
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

const storefrontOf = async (seller: TestCustomer) =>
  (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;

describe('product rules: happy path', () => {
  it('creates a rule with defaults and reads it back', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const storefront = await storefrontOf(seller);
    const rule = await create(seller, { name: 'Hide test inventory', kind: 'exclude' });
    expect(rule).toEqual({
      id: expect.stringMatching(/^\d+$/),
      storefrontId: String(storefront.id),
      name: 'Hide test inventory',
      kind: 'exclude',
      active: true,
      priority: 100,
      match: {},
      action: {},
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await h.call('GET', `${base}/${rule.id}`, { key: seller.key });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(rule);
  });

  it('stores every kind with its action and lists them by priority, then id', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const pkg = await create(seller, {
      name: 'Video bundle',
      kind: 'package',
      priority: 300,
      match: { channels: ['olv', 'ctv'], publisherDomains: ['News.Example'] },
      action: { productId: 'video-bundle', name: 'All video', description: 'Every video slot' },
    });
    const price = await create(seller, {
      name: 'Floor',
      kind: 'price',
      priority: 10,
      match: { sourceIds: ['demo'], formatIds: ['display_300x250', 'display_300x250'] },
      action: { floorCpm: 2.5, markupPercent: 15 },
    });
    const rename = await create(seller, {
      name: 'Rename',
      kind: 'rename',
      match: { productIds: ['demo__home'] },
      action: { name: 'Homepage takeover' },
    });
    const include = await create(seller, {
      name: 'Only demo',
      kind: 'include',
      priority: 10,
      active: false,
      match: { sourceIds: ['demo'] },
    });
    expect(pkg.match).toEqual({ channels: ['olv', 'ctv'], publisherDomains: ['news.example'] });
    expect(price.match.formatIds).toEqual(['display_300x250']);
    expect(price.action).toEqual({ floorCpm: 2.5, markupPercent: 15 });
    expect(rename.action).toEqual({ name: 'Homepage takeover' });
    expect(include).toMatchObject({ active: false, action: {} });

    const list = await h.call('GET', base, { key: seller.key });
    expect(list.status).toBe(200);
    expect(list.body.data.total).toBe(4);
    expect(list.body.data.items.map((r: { id: string }) => r.id)).toEqual(
      [price, include, rename, pkg].map((r) => r.id),
    );

    const active = await h.services.productRules.activeRulesFor(Number(pkg.storefrontId));
    expect(active.map((r) => r.id)).toEqual([price, rename, pkg].map((r) => r.id));
  });

  it('replaces a rule with PUT (omitted fields reset) and logs the changes', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const rule = await create(seller, {
      name: 'Markup',
      kind: 'price',
      priority: 5,
      match: { channels: ['display'] },
      action: { markupPercent: 10 },
    });
    const res = await h.call('PUT', `${base}/${rule.id}`, {
      key: seller.key,
      body: { name: 'No CTV', kind: 'exclude', active: false, match: { channels: ['ctv'] } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      id: rule.id,
      name: 'No CTV',
      kind: 'exclude',
      active: false,
      priority: 100,
      match: { channels: ['ctv'] },
      action: {},
      createdAt: rule.createdAt,
    });
    expect((await h.call('GET', `${base}/${rule.id}`, { key: seller.key })).body.data).toEqual(
      res.body.data,
    );

    const feed = await h.call('GET', '/api/v2/storefront/activity?resourceTypes=PRODUCT_RULES', {
      key: seller.key,
    });
    expect(feed.body.data.logs.map((l: { action: string }) => l.action)).toEqual([
      'UPDATE',
      'CREATE',
    ]);
    expect(feed.body.data.logs[0].changes).toEqual({
      name: { from: 'Markup', to: 'No CTV' },
      kind: { from: 'price', to: 'exclude' },
      active: { from: true, to: false },
      priority: { from: 5, to: 100 },
      match: { from: { channels: ['display'] }, to: { channels: ['ctv'] } },
      action: { from: { markupPercent: 10 }, to: {} },
    });
  });

  it('deletes a rule (200 {id, deleted}); a second delete is 404', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const rule = await create(seller, {
      name: 'Pkg',
      kind: 'package',
      action: { productId: 'bundle', name: 'Bundle' },
    });
    const res = await h.call('DELETE', `${base}/${rule.id}`, { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: rule.id, deleted: true });
    expect((await h.call('GET', base, { key: seller.key })).body.data).toEqual({
      items: [],
      total: 0,
    });
    const again = await h.call('DELETE', `${base}/${rule.id}`, { key: seller.key });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    // The package id is free again.
    await create(seller, {
      name: 'Pkg',
      kind: 'package',
      action: { productId: 'bundle', name: 'B' },
    });
  });
});

describe('product rules: errors', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing kind', { name: 'x' }, 'kind'],
    ['an unknown kind', { name: 'x', kind: 'boost' }, 'kind'],
    ['a missing name', { kind: 'include' }, 'name'],
    ['an empty name', { name: '  ', kind: 'include' }, 'name'],
    ['a fractional priority', { name: 'x', kind: 'include', priority: 1.5 }, 'priority'],
    ['a negative priority', { name: 'x', kind: 'include', priority: -1 }, 'priority'],
    ['a non-boolean active', { name: 'x', kind: 'include', active: 'yes' }, 'active'],
    ['an unknown field', { name: 'x', kind: 'include', storefrontId: '1' }, 'storefrontId'],
    [
      'an unknown match field',
      { name: 'x', kind: 'include', match: { brand: ['b'] } },
      'match.brand',
    ],
    [
      'an empty match list',
      { name: 'x', kind: 'include', match: { sourceIds: [] } },
      'match.sourceIds',
    ],
    [
      'an unknown channel',
      { name: 'x', kind: 'include', match: { channels: ['video'] } },
      'match.channels.0',
    ],
    [
      'a bad format id',
      { name: 'x', kind: 'include', match: { formatIds: ['a b'] } },
      'match.formatIds.0',
    ],
    [
      'a bad domain',
      { name: 'x', kind: 'include', match: { publisherDomains: ['nope'] } },
      'match.publisherDomains.0',
    ],
    ['an action on include', { name: 'x', kind: 'include', action: { name: 'y' } }, 'action.name'],
    ['an empty rename', { name: 'x', kind: 'rename', action: {} }, 'action'],
    ['a missing price action', { name: 'x', kind: 'price' }, 'action'],
    ['an empty price action', { name: 'x', kind: 'price', action: {} }, 'action'],
    ['a zero floor', { name: 'x', kind: 'price', action: { floorCpm: 0 } }, 'action.floorCpm'],
    [
      'a markup over 500',
      { name: 'x', kind: 'price', action: { markupPercent: 501 } },
      'action.markupPercent',
    ],
    [
      'a negative markup',
      { name: 'x', kind: 'price', action: { markupPercent: -1 } },
      'action.markupPercent',
    ],
    [
      'a package without a name',
      { name: 'x', kind: 'package', action: { productId: 'pk' } },
      'action.name',
    ],
    [
      'an uppercase package id',
      { name: 'x', kind: 'package', action: { productId: 'Pk', name: 'P' } },
      'action.productId',
    ],
    [
      'a one-letter package id',
      { name: 'x', kind: 'package', action: { productId: 'p', name: 'P' } },
      'action.productId',
    ],
    [
      'a 65-letter package id',
      { name: 'x', kind: 'package', action: { productId: 'p'.repeat(65), name: 'P' } },
      'action.productId',
    ],
    [
      'a package id shaped like a source product',
      { name: 'x', kind: 'package', action: { productId: 'demo__home', name: 'P' } },
      'action.productId',
    ],
  ];
  for (const [what, body, field] of cases) {
    it(`answers 400 VALIDATION_ERROR naming the field for ${what}`, async () => {
      const seller = await createCustomer(h, { role: 'SELLER' });
      const res = await h.call('POST', base, { key: seller.key, body });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.field ?? '').toBe(field);
    });
  }

  it('validates PUT bodies the same way and leaves the rule unchanged', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const rule = await create(seller, { name: 'M', kind: 'price', action: { markupPercent: 5 } });
    const res = await h.call('PUT', `${base}/${rule.id}`, {
      key: seller.key,
      body: { name: 'M', kind: 'price', action: { markupPercent: 900 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('action.markupPercent');
    expect((await h.call('GET', `${base}/${rule.id}`, { key: seller.key })).body.data).toEqual(
      rule,
    );
  });

  it('answers 409 CONFLICT for a package id another package rule of the storefront uses', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const pkg = { kind: 'package', action: { productId: 'bundle', name: 'B' } };
    await create(seller, { name: 'One', ...pkg });
    const dup = await h.call('POST', base, { key: seller.key, body: { name: 'Two', ...pkg } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'CONFLICT', field: 'action.productId' });
    const other = await create(seller, { name: 'Other', kind: 'include' });
    const put = await h.call('PUT', `${base}/${other.id}`, {
      key: seller.key,
      body: { name: 'Two', ...pkg },
    });
    expect(put.status).toBe(409);
    // Another storefront may use the same id.
    await create(await createCustomer(h, { role: 'SELLER' }), { name: 'Mine', ...pkg });
  });

  it('answers 404 for an unknown id and 400 for an id that is not a positive integer', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    expect((await h.call('GET', `${base}/999999999`, { key: seller.key })).status).toBe(404);
    const bad = await h.call('GET', `${base}/abc`, { key: seller.key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('ruleId');
  });

  it('refuses writes before the terms are accepted', async () => {
    const seller = await createCustomer(h, { role: 'SELLER', acceptTerms: false });
    const res = await h.call('POST', base, {
      key: seller.key,
      body: { name: 'x', kind: 'include' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TOS_ACCEPTANCE_REQUIRED');
  });
});

describe('product rules: security', () => {
  it('answers NOT_FOUND to another seller for my rules and never lists or applies them', async () => {
    const mine = await createCustomer(h, { role: 'SELLER' });
    const theirs = await createCustomer(h, { role: 'SELLER' });
    const rule = await create(mine, { name: 'Mine', kind: 'exclude' });
    const body = { name: 'Stolen', kind: 'include' };

    expect((await h.call('GET', base, { key: theirs.key })).body.data).toEqual({
      items: [],
      total: 0,
    });
    for (const [method, payload] of [['GET'], ['PUT', body], ['DELETE']] as const) {
      const res = await h.call(method, `${base}/${rule.id}`, { key: theirs.key, body: payload });
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const theirStorefront = await storefrontOf(theirs);
    expect(await h.services.productRules.activeRulesFor(theirStorefront.id)).toEqual([]);
    expect((await h.call('GET', `${base}/${rule.id}`, { key: mine.key })).body.data).toEqual(rule);
  });
});
