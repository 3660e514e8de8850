import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
let brandServer: Server;
let brandOrigin: string;
let brandHits = 0;
beforeAll(async () => {
  h = await createHarness();
  // A brand's own web server: /.well-known/brand.json (an AdCP house portfolio).
  brandServer = createServer((req, res) => {
    if (req.url !== '/.well-known/brand.json') {
      res.writeHead(404).end();
      return;
    }
    brandHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        house: { domain: 'acme.example', name: 'Acme Holdings' },
        brands: [
          {
            id: 'acme_outdoor',
            name: 'Acme Outdoor',
            logos: [{ url: 'https://cdn.acme.example/logo.png', tags: ['primary'] }],
            colors: { primary: '#FF5733', secondary: '#112233' },
            industry: 'retail',
            tagline: 'Go further',
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => brandServer.listen(0, '127.0.0.1', resolve));
  brandOrigin = `http://127.0.0.1:${(brandServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => brandServer?.close(resolve));
  await h.close();
});

const base = '/api/v2/buyer/advertisers';

async function create(buyer: TestCustomer, body: Record<string, unknown> = {}) {
  const res = await h.call('POST', base, {
    key: buyer.key,
    body: { name: 'Acme Corp', brand: 'acme.example', primaryCurrency: 'usd', ...body },
  });
  if (res.status !== 201) throw new Error(`create advertiser: ${res.text}`);
  return res.body.data;
}

describe('advertisers: happy path', () => {
  it('creates an advertiser and GET returns everything nested', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const created = await create(buyer, {
      description: 'Global account',
      sandbox: true,
      optimizationApplyMode: 'AUTO',
      utmConfig: [{ paramKey: 'utm_source', paramValue: 'interchange' }],
      frequencyCaps: [{ max_impressions: 3, window: { interval: 1, unit: 'days' } }],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      name: 'Acme Corp',
      brand: 'acme.example',
      primaryCurrency: 'USD',
      sandbox: true,
      status: 'ACTIVE',
      optimizationApplyMode: 'AUTO',
      currencyLocked: false,
      linkedAccounts: [],
      linkedAccountCount: 0,
      testCohorts: [],
      eventSources: [],
      utmConfig: [{ paramKey: 'utm_source', paramValue: 'interchange', source: 'advertiser' }],
    });
    expect(created.frequencyCaps[0]).toMatchObject({
      max_impressions: 3,
      targetLevel: 'ADVERTISER',
      targetId: created.id,
      id: expect.stringMatching(/^fc_/),
    });

    const cohort = await h.call('POST', `${base}/${created.id}/test-cohorts`, {
      key: buyer.key,
      body: {
        name: 'West Coast Treatment Group',
        cohortType: 'geographic',
        definition: { type: 'zip_code', zips: ['94103', '97201', '98101'] },
        estimatedSize: 50000,
      },
    });
    expect(cohort.status).toBe(201);
    expect(cohort.body.data.cohort).toMatchObject({ role: 'TREATMENT', isActive: true });
    const put = await h.call('PUT', `${base}/${created.id}/measurement-config`, {
      key: buyer.key,
      body: { mmmEnabled: true, mmmConfig: { provider: 'scope3', reportingFrequency: 'weekly' } },
    });
    expect(put.status).toBe(200);

    const got = await h.call('GET', `${base}/${created.id}`, { key: buyer.key });
    expect(got.status).toBe(200);
    expect(got.body.data.testCohorts).toEqual([cohort.body.data.cohort]);
    expect(got.body.data.measurementConfig).toMatchObject({
      advertiserId: created.id,
      mmmEnabled: true,
      mmmConfig: { provider: 'scope3', reportingFrequency: 'weekly' },
      incrementalityTestingEnabled: false,
      brandLiftEnabled: false,
    });
    expect(got.body.data.linkedBrand).toBeUndefined();
  });

  it('updates partially, keeps sandbox fixed, archives and restores', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer);
    const renamed = await h.call('PUT', `${base}/${a.id}`, {
      key: buyer.key,
      body: { name: 'Acme Renamed', sandbox: false },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Acme Renamed', brand: 'acme.example' });
    const unknown = await h.call('PUT', `${base}/${a.id}`, {
      key: buyer.key,
      body: { dataDelivery: { outputs: [] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/dataDelivery/);
    const notBrand = await h.call('PUT', `${base}/${a.id}`, {
      key: buyer.key,
      body: { brand: 'not a domain' },
    });
    expect(notBrand.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'brand' });
    const flip = await h.call('PUT', `${base}/${a.id}`, {
      key: buyer.key,
      body: { sandbox: true },
    });
    expect(flip.status).toBe(400);
    expect(flip.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'sandbox' });

    const archived = await h.call('DELETE', `${base}/${a.id}`, { key: buyer.key });
    expect(archived.body.data).toEqual({ id: a.id, status: 'ARCHIVED', archived: true });
    expect((await h.call('GET', base, { key: buyer.key })).body.data.total).toBe(0);
    const archivedList = await h.call('GET', `${base}?status=ARCHIVED`, { key: buyer.key });
    expect(archivedList.body.data.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const edit = await h.call('PUT', `${base}/${a.id}`, { key: buyer.key, body: { name: 'x' } });
    expect(edit.status).toBe(409);

    const restored = await h.call('POST', `${base}/${a.id}/restore`, { key: buyer.key });
    expect(restored.status).toBe(200);
    expect(restored.body.data.status).toBe('ACTIVE');
  });

  it('pages with limit/offset and with take/skip, filtering by name and sandbox', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create(buyer, { name: `Brand ${i}`, sandbox: i === 4 })).id);
    }
    await create(buyer, { name: 'Other' });
    const byLimit = await h.call('GET', `${base}?name=brand&limit=2&offset=2`, { key: buyer.key });
    expect(byLimit.body.data).toMatchObject({ total: 5, hasMore: true, nextOffset: 4 });
    expect(byLimit.body.data.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(2, 4));
    const byTake = await h.call('GET', `${base}?name=BRAND&take=2&skip=4`, { key: buyer.key });
    expect(byTake.body.data).toMatchObject({ total: 5, hasMore: false, nextOffset: null });
    expect(byTake.body.data.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    const past = await h.call('GET', `${base}?take=2&skip=50`, { key: buyer.key });
    expect(past.body.data).toMatchObject({ items: [], total: 6, hasMore: false });
    const sandbox = await h.call('GET', `${base}?sandbox=true`, { key: buyer.key });
    expect(sandbox.body.data.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    const wildcard = await h.call('GET', `${base}?name=%25`, { key: buyer.key });
    expect(wildcard.body.data.total).toBe(0);
  });

  it('resolves the brand from its brand.json when asked, cached per customer', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer, { brand: brandOrigin });
    const before = brandHits;
    const listed = await h.call('GET', `${base}?includeBrand=true`, { key: buyer.key });
    expect(listed.body.data.items[0].linkedBrand).toMatchObject({
      id: 'acme_outdoor',
      name: 'Acme Outdoor',
      logoUrl: 'https://cdn.acme.example/logo.png',
      colors: { primary: '#FF5733', secondary: '#112233' },
      industry: 'retail',
      tagline: 'Go further',
    });
    const got = await h.call('GET', `${base}/${a.id}?includeBrand=true`, { key: buyer.key });
    expect(got.body.data.linkedBrand.name).toBe('Acme Outdoor');
    expect(brandHits).toBe(before + 1);
    // Another customer naming the same brand fetches it for itself (the owner is in the key).
    const other = await createCustomer(h, { role: 'BUYER' });
    await create(other, { brand: brandOrigin });
    await h.call('GET', `${base}?includeBrand=true`, { key: other.key });
    expect(brandHits).toBe(before + 2);
  });

  it('degrades to a brandWarning when brand.json is unreachable or missing', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer, { brand: `${brandOrigin}/nowhere` });
    const b = await create(buyer, { brand: 'http://127.0.0.1:1' });
    const listed = await h.call('GET', `${base}?includeBrand=true`, { key: buyer.key });
    expect(listed.status).toBe(200);
    const items = listed.body.data.items;
    expect(items.find((i: { id: string }) => i.id === a.id).linkedBrand).toBeDefined();
    const broken = items.find((i: { id: string }) => i.id === b.id);
    expect(broken.linkedBrand).toBeUndefined();
    expect(broken.brandWarning).toMatch(/brand\.json/);
  });

  it('answers within its budget when a brand server never responds', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const buyer = await createCustomer(h, { role: 'BUYER' });
      await create(buyer, {
        brand: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      });
      const started = Date.now();
      const listed = await h.call('GET', `${base}?includeBrand=true`, { key: buyer.key });
      expect(listed.status).toBe(200);
      // The server never answers: the list waited its 4 s brand budget, not for the server.
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(listed.body.data.items[0].brandWarning).toMatch(/not available/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it('refuses a brand.json on a private address unless private networks are allowed', async () => {
    const app = await h.buildApp({ INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' }, { services: true });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer, { brand: `${brandOrigin}` });
    const before = brandHits;
    const got = await h.call('GET', `${base}/${a.id}?includeBrand=true`, { key: buyer.key, app });
    expect(got.status).toBe(200);
    expect(got.body.data.linkedBrand).toBeUndefined();
    expect(got.body.data.brandWarning).toMatch(/not available/);
    expect(brandHits).toBe(before);
  });
});

describe('test cohorts and measurement config', () => {
  it('validates cohort definitions per type and supports CRUD', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer);
    const url = `${base}/${a.id}/test-cohorts`;
    const bad = await h.call('POST', url, {
      key: buyer.key,
      body: { name: 'x', cohortType: 'geographic', definition: { type: 'zip_code', zips: [] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('definition.zips');
    const pct = await h.call('POST', url, {
      key: buyer.key,
      body: { name: 'x', cohortType: 'split', definition: { type: 'percentage', percentage: 150 } },
    });
    expect(pct.body.error.field).toBe('definition.percentage');
    const missing = await h.call('POST', url, { key: buyer.key, body: { name: 'x' } });
    expect(missing.status).toBe(400);

    const control = await h.call('POST', url, {
      key: buyer.key,
      body: {
        name: 'Holdout',
        cohortType: 'split',
        role: 'CONTROL',
        definition: { type: 'percentage', percentage: 10 },
      },
    });
    expect(control.status).toBe(201);
    const id = control.body.data.cohort.id;
    const updated = await h.call('PUT', `${url}/${id}`, {
      key: buyer.key,
      body: { description: 'ten percent', estimatedSize: 1000 },
    });
    expect(updated.body.data.cohort).toMatchObject({
      description: 'ten percent',
      estimatedSize: 1000,
      role: 'CONTROL',
    });
    const controls = await h.call('GET', `${url}?role=CONTROL`, { key: buyer.key });
    expect(controls.body.data).toMatchObject({ total: 1 });
    expect((await h.call('DELETE', `${url}/${id}`, { key: buyer.key })).body.data).toEqual({
      id,
      deleted: true,
    });
    expect((await h.call('GET', `${url}/${id}`, { key: buyer.key })).status).toBe(404);
  });

  it('answers defaults before the first PUT and keeps fields a partial PUT leaves out', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = await create(buyer);
    const url = `${base}/${a.id}/measurement-config`;
    const first = await h.call('GET', url, { key: buyer.key });
    expect(first.body.data.measurementConfig).toMatchObject({
      mmmEnabled: false,
      brandLiftEnabled: false,
    });
    await h.call('PUT', url, {
      key: buyer.key,
      body: { brandLiftEnabled: true, settings: { a: 1 } },
    });
    await h.call('PUT', url, { key: buyer.key, body: { mmmEnabled: true } });
    const got = await h.call('GET', url, { key: buyer.key });
    expect(got.body.data.measurementConfig).toMatchObject({
      mmmEnabled: true,
      brandLiftEnabled: true,
      settings: { a: 1 },
    });
  });
});

describe('terms of service gate buyer writes', () => {
  it('answers 403 TOS_ACCEPTANCE_REQUIRED on writes until the terms are accepted', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER', acceptTerms: false });
    const body = { name: 'A', brand: 'a.example', primaryCurrency: 'USD' };
    const refused = await h.call('POST', base, { key: buyer.key, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('TOS_ACCEPTANCE_REQUIRED');
    expect((await h.call('GET', base, { key: buyer.key })).status).toBe(200);
    const terms = await h.call('GET', '/api/v2/accounts/terms', { key: buyer.key });
    expect(terms.status).toBe(200);
    await h.call('POST', '/api/v2/accounts/terms/accept', { key: buyer.key });
    expect((await h.call('POST', base, { key: buyer.key, body })).status).toBe(201);
  });
});

describe('isolation', () => {
  it("answers NOT_FOUND for another customer's advertiser and everything under it", async () => {
    const [owner, intruder] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const a = await create(owner);
    const cohort = await h.call('POST', `${base}/${a.id}/test-cohorts`, {
      key: owner.key,
      body: { name: 'c', cohortType: 'geo', definition: { type: 'geo', geos: ['US-CA'] } },
    });
    const cid = cohort.body.data.cohort.id;
    const attempts: [string, string, unknown?][] = [
      ['GET', `${base}/${a.id}`],
      ['PUT', `${base}/${a.id}`, { name: 'stolen' }],
      ['DELETE', `${base}/${a.id}`],
      ['POST', `${base}/${a.id}/restore`],
      ['GET', `${base}/${a.id}/test-cohorts`],
      ['GET', `${base}/${a.id}/test-cohorts/${cid}`],
      ['PUT', `${base}/${a.id}/test-cohorts/${cid}`, { name: 'stolen' }],
      ['DELETE', `${base}/${a.id}/test-cohorts/${cid}`],
      ['GET', `${base}/${a.id}/measurement-config`],
      ['PUT', `${base}/${a.id}/measurement-config`, { mmmEnabled: true }],
      ['GET', `${base}/${a.id}/accounts`],
      ['GET', `${base}/${a.id}/accounts/available?storefrontId=1&sourceId=x`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await h.call(method, url, { key: intruder.key, body });
      expect([method, url, res.status, res.body.error?.code]).toEqual([
        method,
        url,
        404,
        'NOT_FOUND',
      ]);
    }
    expect((await h.call('GET', base, { key: intruder.key })).body.data.total).toBe(0);
    // The owner's cohort under the intruder's own advertiser is not found either.
    const own = await create(intruder);
    const cross = await h.call('GET', `${base}/${own.id}/test-cohorts/${cid}`, {
      key: intruder.key,
    });
    expect(cross.status).toBe(404);
    const still = await h.call('GET', `${base}/${a.id}`, { key: owner.key });
    expect(still.body.data).toMatchObject({ name: 'Acme Corp', status: 'ACTIVE' });
  });

  it('treats malformed and out-of-range ids as not found, never 500', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    for (const id of ['abc', '0', '99999999999999999999', '-1', '1.5']) {
      const res = await h.call('GET', `${base}/${id}`, { key: buyer.key });
      expect([id, res.status]).toEqual([id, 404]);
    }
  });

  it("keeps a sponsored buyer's advertisers its own", async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
    const link = await h.call('POST', '/api/v2/storefront/join-links', {
      key: seller.key,
      body: { storefrontId: sf.id, approvalPolicy: 'auto_approve' },
    });
    expect(link.status).toBe(201);
    const joined = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
      body: {
        name: 'Sam',
        email: `buyer-${Date.now()}@sponsored.example`,
        brandDomain: 'sponsored.example',
        acceptTerms: true,
      },
    });
    if (joined.status !== 201) return expect.fail(`signup: ${joined.text}`);
    const sponsoredKey = joined.body.data.apiKey;
    const other = await createCustomer(h, { role: 'BUYER' });
    const mine = await create({ id: 0, key: sponsoredKey, keyId: '' });
    const theirs = await create(other);
    const list = await h.call('GET', base, { key: sponsoredKey });
    expect(list.body.data.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect((await h.call('GET', `${base}/${theirs.id}`, { key: sponsoredKey })).status).toBe(404);
    expect((await h.call('GET', `${base}/${mine.id}`, { key: other.key })).status).toBe(404);
    // The sponsoring seller does not see them either (advertisers are buyer data).
    expect((await h.call('GET', `${base}/${mine.id}`, { key: seller.key })).status).toBe(404);
  });
});
