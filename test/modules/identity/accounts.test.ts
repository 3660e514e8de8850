import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('accounts', () => {
  it('shows the active customer of the key', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'agency-one.example' });
    const res = await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: buyer.id,
      company: expect.any(String),
      name: expect.any(String),
      role: 'ADMIN',
      customerRole: 'BUYER',
      customerType: 'STANDALONE',
      parentId: null,
      customerDomain: 'agency-one.example',
      // Ours, for buyers: nothing stands between it and discovering and booking.
      readiness: { status: 'ready', issues: [] },
      sponsorship: null,
      // Hosted API, ADMIN only: we extend no credit.
      standing: { creditLimit: null, currency: 'USD' },
    });
  });

  it('creates a child, turning the customer into a PARENT, and switches the key to it', async () => {
    const seller = await createCustomer(h, { role: 'SELLER', name: 'Big Media' });
    const res = await h.call('POST', '/api/v2/accounts/create-child', {
      key: seller.key,
      body: {
        name: 'Big Media Sports',
        customerRole: 'SELLER',
        customerDomain: 'sports.big.example',
      },
    });
    expect(res.status).toBe(201);
    const ctx = res.body.data;
    expect(ctx.convertedFromStandalone).toBe(true);
    expect(ctx.customer).toMatchObject({ name: 'Big Media Sports', customerType: 'CHILD' });
    expect(ctx.customers.map((c: { customerType: string }) => c.customerType).sort()).toEqual([
      'CHILD',
      'PARENT',
    ]);
    // The child is covered by the parent's terms acceptance.
    expect(ctx.organizationContractMissing).toBe(false);

    const current = await h.call('GET', '/api/v2/accounts/current', { key: seller.key });
    expect(current.body.data).toMatchObject({ id: ctx.customer.id, parentId: seller.id });

    const list = await h.call('GET', '/api/v2/accounts', { key: seller.key });
    expect(list.body.data.accounts.map((a: { id: number }) => a.id)).toEqual([
      seller.id,
      ctx.customer.id,
    ]);
    const parent = list.body.data.accounts[0];
    expect(parent).toMatchObject({ customerType: 'PARENT', name: `${parent.company} (Admin)` });

    const back = await h.call('POST', '/api/v2/accounts/switch', {
      key: seller.key,
      body: { customerId: seller.id },
    });
    expect(back.status).toBe(200);
    expect(back.body.data.customer.id).toBe(seller.id);
    const second = await h.call('POST', '/api/v2/accounts/create-child', {
      key: seller.key,
      body: { name: 'Big Media News', customerRole: 'BUYER' },
    });
    expect(second.status).toBe(201);
    expect(second.body.data.convertedFromStandalone).toBe(false);
  });

  it('refuses create-child from a CHILD and names the problem', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('POST', '/api/v2/accounts/create-child', {
      key: seller.key,
      body: { name: 'Child', customerRole: 'SELLER' },
    });
    const res = await h.call('POST', '/api/v2/accounts/create-child', {
      key: seller.key,
      body: { name: 'Grandchild', customerRole: 'SELLER' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('validates create-child input', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/accounts/create-child', {
      key: buyer.key,
      body: { customerRole: 'BUYER' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('name');
    const empty = await h.call('POST', '/api/v2/accounts/create-child', {
      key: buyer.key,
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body is required/);
  });

  it('refuses to switch into a customer the user does not belong to, whether or not it exists', async () => {
    const a = await createCustomer(h, { role: 'BUYER' });
    const b = await createCustomer(h, { role: 'BUYER' });
    for (const customerId of [b.id, 999_999]) {
      const res = await h.call('POST', '/api/v2/accounts/switch', {
        key: a.key,
        body: { customerId },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ACCESS_DENIED');
    }
    const current = await h.call('GET', '/api/v2/accounts/current', { key: a.key });
    expect(current.body.data.id).toBe(a.id);
  });
});

describe('terms of service', () => {
  it('blocks writes with TOS_ACCEPTANCE_REQUIRED until accepted, while reads keep working', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER', acceptTerms: false });
    const terms = await h.call('GET', '/api/v2/accounts/terms', { key: buyer.key });
    expect(terms.status).toBe(200);
    expect(terms.body.data).toMatchObject({ accepted: false, acceptedVersion: null });

    const write = await h.call('POST', '/api/v2/accounts/create-child', {
      key: buyer.key,
      body: { name: 'Child', customerRole: 'BUYER' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('TOS_ACCEPTANCE_REQUIRED');

    const stale = await h.call('POST', '/api/v2/accounts/terms/accept', {
      key: buyer.key,
      body: { version: '1999-01-01' },
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error.field).toBe('version');

    const accept = await h.call('POST', '/api/v2/accounts/terms/accept', {
      key: buyer.key,
      body: { version: terms.body.data.version },
    });
    expect(accept.status).toBe(200);
    expect(accept.body.data).toMatchObject({
      accepted: true,
      acceptedVersion: terms.body.data.version,
    });

    const retry = await h.call('POST', '/api/v2/accounts/create-child', {
      key: buyer.key,
      body: { name: 'Child', customerRole: 'BUYER' },
    });
    expect(retry.status).toBe(201);
  });

  it('accepts a body-less POST sent with Content-Type: application/json', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER', acceptTerms: false });
    const res = await h.call('POST', '/api/v2/accounts/terms/accept', {
      key: buyer.key,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.accepted).toBe(true);
  });
});
