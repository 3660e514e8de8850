import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('admin API: customers and keys', () => {
  it('runs the whole admin flow: customer, key, call, revoke, then 401', async () => {
    const created = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: { name: 'Acme Media', customerRole: 'SELLER', customerDomain: 'Acme-Media.example' },
    });
    expect(created.status).toBe(201);
    expect(created.body.error).toBeNull();
    expect(created.body.data).toMatchObject({
      name: 'Acme Media',
      customerRole: 'SELLER',
      customerType: 'STANDALONE',
      customerDomain: 'acme-media.example',
      active: true,
    });
    const customerId = created.body.data.id;

    const key = await h.call('POST', `/api/v2/admin/customers/${customerId}/api-keys`, {
      key: h.adminKey,
      body: { name: 'ci key' },
    });
    expect(key.status).toBe(201);
    expect(key.body.data.key).toMatch(/^ix_[a-z0-9]{12}_/);
    expect(key.body.data).toMatchObject({ customerId, name: 'ci key' });

    const current = await h.call('GET', '/api/v2/accounts/current', { key: key.body.data.key });
    expect(current.status).toBe(200);
    expect(current.body.data).toMatchObject({
      id: customerId,
      role: 'ADMIN',
      customerRole: 'SELLER',
    });

    const revoked = await h.call('DELETE', `/api/v2/admin/api-keys/${key.body.data.id}`, {
      key: h.adminKey,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.id).toBe(key.body.data.id);

    const after = await h.call('GET', '/api/v2/accounts/current', { key: key.body.data.key });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ data: null, error: { code: 'UNAUTHORIZED' } });

    const again = await h.call('DELETE', `/api/v2/admin/api-keys/${key.body.data.id}`, {
      key: h.adminKey,
    });
    expect(again.status).toBe(404);
  });

  it('stores keys only as hashes', async () => {
    const c = await createCustomer(h, { role: 'BUYER' });
    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row check
      `select * from api_keys where id = '${c.keyId}'` as any,
    )) as { rows: Record<string, unknown>[] };
    const stored = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(stored).not.toContain(c.key);
    // The secret part follows `ix_<12-char prefix>_` and may itself contain '_'.
    expect(stored).not.toContain(c.key.slice('ix_'.length + 12 + 1));
  });

  it('lists customers oldest first with limit/offset paging', async () => {
    for (let i = 0; i < 3; i++) await createCustomer(h, { role: 'BUYER' });
    const first = await h.call('GET', '/api/v2/admin/customers?limit=2&offset=0', {
      key: h.adminKey,
    });
    expect(first.status).toBe(200);
    const { items, total, hasMore, nextOffset } = first.body.data;
    expect(items).toHaveLength(2);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(hasMore).toBe(true);
    expect(nextOffset).toBe(2);
    expect(items[0].id).toBeLessThan(items[1].id);

    const last = await h.call('GET', `/api/v2/admin/customers?limit=2&offset=${total - 1}`, {
      key: h.adminKey,
    });
    expect(last.body.data).toMatchObject({ hasMore: false, nextOffset: null });
    expect(last.body.data.items).toHaveLength(1);
  });

  it('rejects a bad customer body naming the field', async () => {
    const res = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: { name: 'X', customerRole: 'PUBLISHER' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'customerRole' });

    const domain = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: { name: 'X', customerRole: 'BUYER', customerDomain: 'not a domain' },
    });
    expect(domain.status).toBe(400);
    expect(domain.body.error.field).toBe('customerDomain');
  });

  it('answers 404 for a key on a customer that does not exist', async () => {
    const res = await h.call('POST', '/api/v2/admin/customers/999999/api-keys', {
      key: h.adminKey,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  describe('security', () => {
    it('refuses admin routes without a key, with a bad key, and with a customer key', async () => {
      const none = await h.call('GET', '/api/v2/admin/customers');
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('UNAUTHORIZED');

      const bad = await h.call('GET', '/api/v2/admin/customers', {
        key: 'ix_aaaaaaaaaaaa_' + 'a'.repeat(32),
      });
      expect(bad.status).toBe(401);

      const customer = await createCustomer(h, { role: 'SELLER' });
      const denied = await h.call('GET', '/api/v2/admin/customers', { key: customer.key });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('ACCESS_DENIED');
    });

    it('refuses customer routes for a platform admin key', async () => {
      const res = await h.call('GET', '/api/v2/accounts/current', { key: h.adminKey });
      expect(res.status).toBe(403);
    });

    it('accepts the configured INTERCHANGE_ADMIN_KEY and rotates it when it changes', async () => {
      const first = 'operator-chosen-admin-key-0001';
      await h.services.identity.ensureAdminKey(first);
      expect((await h.call('GET', '/api/v2/admin/customers', { key: first })).status).toBe(200);
      const second = 'operator-chosen-admin-key-0002';
      await h.services.identity.ensureAdminKey(second);
      expect((await h.call('GET', '/api/v2/admin/customers', { key: first })).status).toBe(401);
      expect((await h.call('GET', '/api/v2/admin/customers', { key: second })).status).toBe(200);
    });
  });
});
