import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const base = '/api/v2/storefront/operating-instructions';

async function save(seller: TestCustomer, content: string, notes?: string | null) {
  const res = await h.call('POST', base, {
    key: seller.key,
    body: notes === undefined ? { content } : { content, notes },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

async function storefrontIdOf(seller: TestCustomer): Promise<number> {
  const res = await h.call('GET', '/api/v2/storefront', { key: seller.key });
  return res.body.data.id;
}

describe('operating instructions: happy path', () => {
  it('saves and activates in one call with activate: true (hosted API)', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await save(seller, 'v1');
    const res = await h.call('POST', base, {
      key: seller.key,
      body: { content: 'v2', activate: true },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ version: 2, isActive: true });
    const active = await h.call('GET', `${base}/active`, { key: seller.key });
    expect(active.body.data).toMatchObject({ version: 2, content: 'v2' });
    const list = await h.call('GET', base, { key: seller.key });
    expect(list.body.data.total).toBe(2);
  });

  it('numbers saved versions per storefront from 1 upward and lists them newest first', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const storefrontId = await storefrontIdOf(seller);
    const first = await save(seller, '# Rules\nBundle CTV with OLV.', 'first draft');
    expect(first).toEqual({
      id: expect.stringMatching(/^\d+$/),
      storefrontId: String(storefrontId),
      version: 1,
      content: '# Rules\nBundle CTV with OLV.',
      notes: 'first draft',
      // Interchange addition (issue 47): the posture this version pins; none here.
      posture: null,
      isActive: false,
      createdAt: expect.any(String),
      createdBy: expect.stringMatching(/^\d+$/),
    });
    expect(first).not.toHaveProperty('updatedAt');
    const second = await save(seller, '# Rules v2');
    expect(second).toMatchObject({ version: 2, notes: null, isActive: false });

    const list = await h.call('GET', base, { key: seller.key });
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list.body.data.items.some((v: { isActive: boolean }) => v.isActive)).toBe(false);

    const one = await h.call('GET', `${base}/1`, { key: seller.key });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(first);

    // Numbering is per storefront: another seller starts at 1.
    const other = await createCustomer(h, { role: 'SELLER' });
    expect((await save(other, 'Other rules')).version).toBe(1);
  });

  it('gives concurrent saves distinct versions 1..8', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.call('POST', base, { key: seller.key, body: { content: `Rulebook draft ${i}` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const versions = results.map((r) => r.body.data.version as number).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const next = await save(seller, 'After the burst');
    expect(next.version).toBe(9);
  });

  it('activates a version, deactivates the previous one and keeps both in history', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await save(seller, 'Version one');
    await save(seller, 'Version two');

    const first = await h.call('POST', `${base}/1/activate`, { key: seller.key });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ version: 1, isActive: true, content: 'Version one' });
    const active = await h.call('GET', `${base}/active`, { key: seller.key });
    expect(active.status).toBe(200);
    expect(active.body.data).toMatchObject({ version: 1, isActive: true });

    const second = await h.call('POST', `${base}/2/activate`, { key: seller.key });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ version: 2, isActive: true });
    const list = await h.call('GET', base, { key: seller.key });
    expect(
      list.body.data.items.map((v: { version: number; isActive: boolean }) => [
        v.version,
        v.isActive,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);

    // Re-activating an old version is allowed, and activating twice changes nothing.
    const back = await h.call('POST', `${base}/1/activate`, { key: seller.key });
    expect(back.body.data).toMatchObject({ version: 1, isActive: true });
    const again = await h.call('POST', `${base}/1/activate`, { key: seller.key });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(back.body.data);
    expect((await h.call('GET', `${base}/active`, { key: seller.key })).body.data.version).toBe(1);
    expect((await h.call('GET', `${base}/2`, { key: seller.key })).body.data.isActive).toBe(false);
  });

  it('keeps exactly one version active when activations race', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    for (let i = 1; i <= 4; i++) await save(seller, `Version ${i}`);
    const results = await Promise.all(
      [1, 2, 3, 4, 2, 3].map((v) => h.call('POST', `${base}/${v}/activate`, { key: seller.key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const list = await h.call('GET', base, { key: seller.key });
    expect(list.body.data.items.filter((v: { isActive: boolean }) => v.isActive)).toHaveLength(1);
  });

  it('records saves and activations in the storefront activity feed', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const saved = await save(seller, 'Logged rules');
    await h.call('POST', `${base}/1/activate`, { key: seller.key });
    const feed = await h.call(
      'GET',
      '/api/v2/storefront/activity?resourceTypes=OPERATING_INSTRUCTIONS',
      { key: seller.key },
    );
    expect(feed.status).toBe(200);
    expect(
      feed.body.data.logs.map((l: { action: string; resourceId: string }) => [
        l.action,
        l.resourceId,
      ]),
    ).toEqual([
      ['ACTIVATE', saved.id],
      ['CREATE', saved.id],
    ]);
    expect(feed.body.data.logs[0].changes).toEqual({ activeVersion: { from: null, to: 1 } });
  });

  it('exposes the active version to other modules through findActive', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const storefrontId = await storefrontIdOf(seller);
    expect(await h.services.operatingInstructions.findActive(storefrontId)).toBeUndefined();
    await save(seller, 'Rules for the engine');
    await h.call('POST', `${base}/1/activate`, { key: seller.key });
    expect(await h.services.operatingInstructions.findActive(storefrontId)).toMatchObject({
      version: 1,
      content: 'Rules for the engine',
      isActive: true,
    });
  });
});

describe('operating instructions: errors', () => {
  it('answers 404 NOT_FOUND for /active before anything was activated', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const empty = await h.call('GET', `${base}/active`, { key: seller.key });
    expect(empty.status).toBe(404);
    expect(empty.body.error.code).toBe('NOT_FOUND');
    await save(seller, 'Saved but not activated');
    expect((await h.call('GET', `${base}/active`, { key: seller.key })).status).toBe(404);
  });

  it('answers 404 for an unknown version and 400 for a version that is not a positive integer', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await save(seller, 'Only one version');
    const missing = await h.call('GET', `${base}/2`, { key: seller.key });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999']) {
      const res = await h.call('GET', `${base}/${bad}`, { key: seller.key });
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'version' });
    }
  });

  it('refuses to activate an unknown version with 400 VALIDATION_ERROR, not 404', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const none = await h.call('POST', `${base}/1/activate`, { key: seller.key });
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'version' });
    await save(seller, 'Version one');
    const unknown = await h.call('POST', `${base}/7/activate`, { key: seller.key });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/version 7/);
  });

  it('validates content and notes', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const cases: [unknown, string][] = [
      [{}, 'content'],
      [{ content: '' }, 'content'],
      [{ content: '   \n ' }, 'content'],
      [{ content: 'x'.repeat(50_001) }, 'content'],
      [{ content: 'ok', notes: 'n'.repeat(2001) }, 'notes'],
      [{ content: 42 }, 'content'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('POST', base, { key: seller.key, body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    const unknownField = await h.call('POST', base, {
      key: seller.key,
      body: { content: 'ok', isActive: true },
    });
    expect(unknownField.status).toBe(400);
    const longest = await h.call('POST', base, {
      key: seller.key,
      body: { content: 'x'.repeat(50_000), notes: 'n'.repeat(2000) },
    });
    expect(longest.status).toBe(201);
    expect(longest.body.data.version).toBe(1);
  });
});

describe('operating instructions: security', () => {
  it("keeps one seller's versions invisible to another seller", async () => {
    const mine = await createCustomer(h, { role: 'SELLER' });
    const theirs = await createCustomer(h, { role: 'SELLER' });
    await save(mine, 'Secret rulebook');
    await save(mine, 'Secret rulebook v2');
    await h.call('POST', `${base}/2/activate`, { key: mine.key });

    expect((await h.call('GET', base, { key: theirs.key })).body.data).toEqual({
      items: [],
      total: 0,
    });
    expect((await h.call('GET', `${base}/1`, { key: theirs.key })).status).toBe(404);
    expect((await h.call('GET', `${base}/active`, { key: theirs.key })).status).toBe(404);
    const activate = await h.call('POST', `${base}/1/activate`, { key: theirs.key });
    expect(activate.status).toBe(400);
    const active = await h.call('GET', `${base}/active`, { key: mine.key });
    expect(active.body.data.version).toBe(2);
  });
});
