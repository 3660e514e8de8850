import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const base = '/api/v2/storefront/buyer-instructions';

const house = {
  operatorDomain: null,
  brandDomain: null,
  discountPercent: null,
  notes: null,
  countries: null,
};

async function create(seller: TestCustomer, body: Record<string, unknown>) {
  const res = await h.call('POST', base, { key: seller.key, body: { ...house, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

describe('buyer instructions: happy path', () => {
  it('creates the four scope shapes and lists them by id', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const storefront = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
    const created = await create(seller, {
      operatorDomain: 'Agency.Example',
      brandDomain: 'brand.example',
      discountPercent: 12.5,
      notes: 'Lead with CTV',
      countries: ['US', 'CA', 'US'],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      storefrontId: String(storefront.id),
      operatorDomain: 'agency.example',
      brandDomain: 'brand.example',
      discountPercent: 12.5,
      notes: 'Lead with CTV',
      countries: ['US', 'CA'],
      posture: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      createdBy: expect.stringMatching(/^\d+$/),
    });
    const operator = await create(seller, { operatorDomain: 'agency.example' });
    const brand = await create(seller, { brandDomain: 'brand.example', discountPercent: 0 });
    const houseRow = await create(seller, { notes: 'Any buyer' });

    const list = await h.call('GET', base, { key: seller.key });
    expect(list.status).toBe(200);
    expect(list.body.data.total).toBe(4);
    expect(list.body.data.items.map((r: { id: string }) => r.id)).toEqual(
      [created, operator, brand, houseRow].map((r) => r.id),
    );
    expect(list.body.data.items[2]).toMatchObject({
      operatorDomain: null,
      brandDomain: 'brand.example',
    });
    expect(list.body.data.items[3]).toMatchObject({
      operatorDomain: null,
      brandDomain: null,
      notes: 'Any buyer',
    });
  });

  it('patches the tailoring fields, with null clearing one', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const row = await create(seller, {
      operatorDomain: 'agency.example',
      discountPercent: 10,
      notes: 'Old',
      countries: ['US'],
    });
    const res = await h.call('PATCH', `${base}/${row.id}`, {
      key: seller.key,
      body: { discountPercent: 15, countries: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: row.id,
      operatorDomain: 'agency.example',
      discountPercent: 15,
      notes: 'Old',
      countries: null,
    });
    expect(Date.parse(res.body.data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(row.updatedAt));

    // Echoing the unchanged scope is accepted.
    const echo = await h.call('PATCH', `${base}/${row.id}`, {
      key: seller.key,
      body: { operatorDomain: 'agency.example', brandDomain: null, notes: null },
    });
    expect(echo.status).toBe(200);
    expect(echo.body.data).toMatchObject({ notes: null, discountPercent: 15 });

    const feed = await h.call(
      'GET',
      '/api/v2/storefront/activity?resourceTypes=BUYER_INSTRUCTIONS',
      {
        key: seller.key,
      },
    );
    expect(feed.body.data.logs.map((l: { action: string }) => l.action)).toEqual([
      'UPDATE',
      'UPDATE',
      'CREATE',
    ]);
    expect(feed.body.data.logs[1].changes).toEqual({
      discountPercent: { from: 10, to: 15 },
      countries: { from: ['US'], to: null },
    });
  });

  it('deletes an instruction (200 {id, deleted}) and frees its scope', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const row = await create(seller, { brandDomain: 'brand.example', discountPercent: 5 });
    const res = await h.call('DELETE', `${base}/${row.id}`, { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: row.id, deleted: true });
    expect((await h.call('GET', base, { key: seller.key })).body.data).toEqual({
      items: [],
      total: 0,
    });
    const again = await h.call('DELETE', `${base}/${row.id}`, { key: seller.key });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    const recreated = await create(seller, { brandDomain: 'brand.example', discountPercent: 7 });
    expect(recreated.id).not.toBe(row.id);
  });
});

describe('buyer instructions: errors', () => {
  it('requires all five fields on create', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    for (const field of Object.keys(house)) {
      const body: Record<string, unknown> = { ...house };
      delete body[field];
      const res = await h.call('POST', base, { key: seller.key, body });
      expect(res.status, field).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
  });

  it('refuses a discount outside 0..100 and names the field', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    for (const discountPercent of [101, -1, '10']) {
      const res = await h.call('POST', base, {
        key: seller.key,
        body: { ...house, discountPercent },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'discountPercent' });
      expect(res.body.error.message).toMatch(/discountPercent/);
    }
    const row = await create(seller, { discountPercent: 100 });
    const patch = await h.call('PATCH', `${base}/${row.id}`, {
      key: seller.key,
      body: { discountPercent: 101 },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.field).toBe('discountPercent');
  });

  it('refuses country codes that are not uppercase ISO alpha-2, and an empty list', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    for (const countries of [['usa'], ['us'], ['US', 'U1'], []]) {
      const res = await h.call('POST', base, { key: seller.key, body: { ...house, countries } });
      expect(res.status, JSON.stringify(countries)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.field).toMatch(/^countries/);
    }
  });

  it('refuses malformed domains and over-long notes', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const cases: [Record<string, unknown>, string][] = [
      [{ operatorDomain: 'not a domain' }, 'operatorDomain'],
      [{ brandDomain: '' }, 'brandDomain'],
      [{ brandDomain: `${'a'.repeat(250)}.com` }, 'brandDomain'],
      [{ notes: 'n'.repeat(2001) }, 'notes'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('POST', base, { key: seller.key, body: { ...house, ...body } });
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('answers 409 CONFLICT for a scope the storefront already has, the house scope included', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await create(seller, {});
    const houseAgain = await h.call('POST', base, {
      key: seller.key,
      body: { ...house, notes: 'x' },
    });
    expect(houseAgain.status).toBe(409);
    expect(houseAgain.body.error.code).toBe('CONFLICT');
    expect(houseAgain.body.error.message).toMatch(/house/);

    await create(seller, { operatorDomain: 'agency.example', brandDomain: 'brand.example' });
    const dup = await h.call('POST', base, {
      key: seller.key,
      body: { ...house, operatorDomain: 'AGENCY.example', brandDomain: 'brand.example' },
    });
    expect(dup.status).toBe(409);
    // Same domains in another shape are a different scope.
    await create(seller, { operatorDomain: 'brand.example' });
    await create(seller, { brandDomain: 'agency.example' });
  });

  it('lets exactly one of several concurrent creates of one scope win', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const body = { ...house, operatorDomain: 'race.example', discountPercent: 3 };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.call('POST', base, { key: seller.key, body })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await h.call('GET', base, { key: seller.key })).body.data.items).toHaveLength(1);
  });

  it('refuses to change the scope on PATCH and names the field', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const row = await create(seller, { operatorDomain: 'agency.example' });
    const cases: [Record<string, unknown>, string][] = [
      [{ operatorDomain: 'other.example' }, 'operatorDomain'],
      [{ operatorDomain: null, discountPercent: 5 }, 'operatorDomain'],
      [{ brandDomain: 'brand.example' }, 'brandDomain'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('PATCH', `${base}/${row.id}`, { key: seller.key, body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
      expect(res.body.error.message).toMatch(new RegExp(`${field} cannot be changed`));
    }
    const after = (await h.call('GET', base, { key: seller.key })).body.data.items[0];
    expect(after).toMatchObject({
      operatorDomain: 'agency.example',
      brandDomain: null,
      discountPercent: null,
    });
    const unknown = await h.call('PATCH', `${base}/${row.id}`, {
      key: seller.key,
      body: { storefrontId: '1' },
    });
    expect(unknown.status).toBe(400);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a positive integer', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const missing = await h.call('PATCH', `${base}/999999999`, {
      key: seller.key,
      body: { notes: 'x' },
    });
    expect(missing.status).toBe(404);
    const bad = await h.call('DELETE', `${base}/abc`, { key: seller.key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });
});

describe('buyer instructions: security', () => {
  it('answers NOT_FOUND to another seller for my rows and never lists them', async () => {
    const mine = await createCustomer(h, { role: 'SELLER' });
    const theirs = await createCustomer(h, { role: 'SELLER' });
    const row = await create(mine, { brandDomain: 'brand.example', discountPercent: 20 });

    expect((await h.call('GET', base, { key: theirs.key })).body.data).toEqual({
      items: [],
      total: 0,
    });
    const patch = await h.call('PATCH', `${base}/${row.id}`, {
      key: theirs.key,
      body: { discountPercent: 99 },
    });
    expect(patch.status).toBe(404);
    expect(patch.body.error.code).toBe('NOT_FOUND');
    const del = await h.call('DELETE', `${base}/${row.id}`, { key: theirs.key });
    expect(del.status).toBe(404);
    // Their own house/brand scopes do not clash with mine.
    await create(theirs, { brandDomain: 'brand.example' });

    const list = (await h.call('GET', base, { key: mine.key })).body.data;
    expect(list).toEqual({ items: [row], total: 1 });
  });
});
