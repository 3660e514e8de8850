import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function sellerWithStorefront(name?: string) {
  const seller = await createCustomer(h, { role: 'SELLER', ...(name && { name }) });
  const storefront = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
  return { seller, storefront };
}

async function mint(seller: TestCustomer, body: Record<string, unknown>) {
  return h.call('POST', '/api/v2/storefront/join-links', { key: seller.key, body });
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/**
 * A minted link's expiry passes: moved into the past in the database, where a link minted to
 * expire a second later could already be refused as past by a slow request, or not yet have
 * expired by the time a loaded machine sleeps.
 */
async function expireNow(linkId: string) {
  await h.database.queryable.query(
    "update join_links set expires_at = now() - interval '1 second' where id = $1",
    [Number(linkId)],
  );
}

let emails = 0;
function signupBody(overrides: Record<string, unknown> = {}) {
  emails += 1;
  return {
    name: `Advertiser ${emails}`,
    email: `buyer${emails}.${Date.now()}@brand.example`,
    brandDomain: 'brand.example',
    acceptTerms: true,
    ...overrides,
  };
}

describe('join links (seller)', () => {
  it('mints a link with a slug derived from the storefront name, and lists it', async () => {
    const { seller, storefront } = await sellerWithStorefront('Northwind Media');
    const res = await mint(seller, { storefrontId: storefront.id, maxUses: 10 });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      slug: expect.stringMatching(/^northwind-media/),
      sellerCustomerId: seller.id,
      storefrontId: storefront.id,
      role: 'BUYER',
      posture: 'prepay',
      approvalPolicy: 'manual_approve',
      active: true,
      uses: 0,
      maxUses: 10,
      expiresAt: null,
      revokedAt: null,
    });
    expect(res.body.data.id).toMatch(/^\d+$/);
    expect(res.body.data.joinPath).toBe(`/join/${res.body.data.slug}`);
    const second = await mint(seller, { storefrontId: storefront.id });
    expect(second.body.data.slug).not.toBe(res.body.data.slug);
    const list = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(list.body.data.total).toBe(2);
  });

  it('refuses an explicit slug already held by an active link, and frees it on disable', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const slug = `promo-${Date.now()}`;
    const first = await mint(seller, { storefrontId: storefront.id, slug });
    expect((await mint(seller, { storefrontId: storefront.id, slug })).status).toBe(409);
    const disabled = await h.call('DELETE', `/api/v2/storefront/join-links/${first.body.data.id}`, {
      key: seller.key,
    });
    expect(disabled.body.data).toEqual({ disabled: true, id: first.body.data.id });
    expect(
      (
        await h.call('DELETE', `/api/v2/storefront/join-links/${first.body.data.id}`, {
          key: seller.key,
        })
      ).status,
    ).toBe(404);
    expect((await mint(seller, { storefrontId: storefront.id, slug })).status).toBe(201);
    const list = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(list.body.data.items.map((l: { active: boolean }) => l.active)).toEqual([true]);
  });

  it('checks validation first, then answers an unknown and another organisation’s storefront with the same 404', async () => {
    const { seller } = await sellerWithStorefront();
    const { storefront: theirs } = await sellerWithStorefront();
    expect((await mint(seller, {})).body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'storefrontId',
    });
    expect((await mint(seller, { storefrontId: 1, slug: 'A' })).body.error.field).toBe('slug');
    expect((await mint(seller, { storefrontId: 1, maxUses: 0 })).body.error.field).toBe('maxUses');
    expect(
      (await mint(seller, { storefrontId: 1, expiresAt: '2020-01-01T00:00:00Z' })).body.error.field,
    ).toBe('expiresAt');
    const unknown = await mint(seller, { storefrontId: 99999999 });
    const other = await mint(seller, { storefrontId: theirs.id });
    expect(unknown.status).toBe(404);
    expect(other.status).toBe(404);
    // Existence does not leak: the two answers differ in nothing but the request id.
    expect(other.body.error).toEqual(unknown.body.error);
    expect(other.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'storefrontId' });
  });

  it('lets a parent mint links for its child storefronts (organisation scope)', async () => {
    const { seller } = await sellerWithStorefront();
    const child = await h.call('POST', '/api/v2/accounts/create-child', {
      key: seller.key,
      body: { name: 'Child Pub', customerRole: 'SELLER' },
    });
    const childStorefront = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body
      .data;
    await h.call('POST', '/api/v2/accounts/switch', {
      key: seller.key,
      body: { customerId: seller.id },
    });
    const res = await mint(seller, { storefrontId: childStorefront.id });
    expect(res.status).toBe(201);
    expect(child.status).toBe(201);
  });

  it('is seller-only and answers another organisation’s link with 404', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const denied = await h.call('GET', '/api/v2/storefront/join-links', { key: buyer.key });
    expect(denied.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
    const { seller, storefront } = await sellerWithStorefront();
    const link = await mint(seller, { storefrontId: storefront.id });
    const { seller: other } = await sellerWithStorefront();
    const res = await h.call('DELETE', `/api/v2/storefront/join-links/${link.body.data.id}`, {
      key: other.key,
    });
    expect(res.status).toBe(404);
    expect(
      (await h.call('GET', '/api/v2/storefront/join-links', { key: other.key })).body.data.total,
    ).toBe(0);
  });
});

describe('join context (public)', () => {
  it('brands a usable link without leaking identifiers, and ignores any Authorization header', async () => {
    const { seller, storefront } = await sellerWithStorefront('Context Media');
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        logoUrl: 'https://cdn.example/logo.png',
        brandColors: { primary: '#E4002B', secondary: '#1A1A1A' },
        defaultCurrency: 'EUR',
        supportedLanguages: ['nl', 'en'],
      },
    });
    const link = (
      await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'auto_approve' })
    ).body.data;
    const res = await h.call('GET', `/api/v2/storefront/join-context/${link.slug}`, {
      headers: { authorization: 'Bearer garbage' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      slug: link.slug,
      valid: true,
      storefrontName: 'Context Media',
      operatorDomain: storefront.operatorDomain,
      logoUrl: 'https://cdn.example/logo.png',
      brandColors: { primary: '#E4002B', secondary: '#1A1A1A' },
      defaultCurrency: 'EUR',
      supportedLanguages: ['nl', 'en'],
    });
    expect(res.headers['cache-control']).toContain('max-age');
  });

  it('answers valid:false with null branding for unknown, closed, expired, exhausted and revoked links', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const closed = (await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'closed' }))
      .body.data;
    const revoked = (await mint(seller, { storefrontId: storefront.id })).body.data;
    await h.call('DELETE', `/api/v2/storefront/join-links/${revoked.id}`, { key: seller.key });
    const exhausted = (
      await mint(seller, {
        storefrontId: storefront.id,
        maxUses: 1,
        approvalPolicy: 'auto_approve',
      })
    ).body.data;
    await h.call('POST', `/api/v2/storefront/join/${exhausted.slug}/signup`, {
      body: signupBody(),
    });
    const expiring = (await mint(seller, { storefrontId: storefront.id, expiresAt: inAnHour() }))
      .body.data;
    await expireNow(expiring.id);
    for (const slug of ['no-such-link', closed.slug, revoked.slug, exhausted.slug, expiring.slug]) {
      const res = await h.call('GET', `/api/v2/storefront/join-context/${slug}`);
      expect(res.status, slug).toBe(200);
      expect(res.body.data, slug).toEqual({
        slug,
        valid: false,
        storefrontName: null,
        operatorDomain: null,
        logoUrl: null,
        brandColors: null,
        defaultCurrency: null,
        supportedLanguages: null,
      });
    }
    const bad = await h.call('GET', '/api/v2/storefront/join-context/Not_A_Slug');
    expect(bad.status).toBe(400);
  });
});

describe('signup and sponsored buyers', () => {
  it('auto_approve: an active sponsored buyer with a key shown once, confined to the storefront', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (
      await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'auto_approve' })
    ).body.data;
    const res = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
      body: signupBody({ name: 'Acme Shoes', country: 'US' }),
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'active', storefrontName: storefront.name });
    const key = res.body.data.apiKey;
    const me = await h.call('GET', '/api/v2/accounts/current', { key });
    expect(me.body.data).toMatchObject({
      name: 'Acme Shoes',
      customerRole: 'BUYER',
      customerDomain: 'brand.example',
      sponsorship: { storefrontId: storefront.id, status: 'active' },
    });
    const buyers = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: seller.key });
    expect(buyers.body.data).toEqual({
      items: [
        {
          buyerCustomerId: res.body.data.buyerCustomerId,
          buyerName: 'Acme Shoes',
          storefrontId: storefront.id,
          status: 'active',
          posture: 'prepay',
          createdAt: expect.any(String),
        },
      ],
      total: 1,
    });
    const links = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(links.body.data.items[0].uses).toBe(1);
  });

  it('manual_approve and invite_only land pending; the seller approves, suspends, reactivates', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    for (const approvalPolicy of ['manual_approve', 'invite_only']) {
      const link = (await mint(seller, { storefrontId: storefront.id, approvalPolicy })).body.data;
      const res = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
        body: signupBody(),
      });
      expect(res.body.data.status, approvalPolicy).toBe('pending');
    }
    const buyers = (await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: seller.key }))
      .body.data.items;
    const id = buyers[0].buyerCustomerId;
    const act = (action: string) =>
      h.call('POST', `/api/v2/storefront/sponsored-buyers/${id}/${action}`, { key: seller.key });
    expect((await act('reactivate')).status).toBe(409);
    expect((await act('approve')).body.data.status).toBe('active');
    expect((await act('approve')).status).toBe(409);
    expect((await act('suspend')).body.data.status).toBe('suspended');
    expect((await act('suspend')).status).toBe(409);
    expect((await act('reactivate')).body.data.status).toBe('active');
    // A pending buyer can be suspended straight away.
    const other = buyers[1].buyerCustomerId;
    const suspended = await h.call('POST', `/api/v2/storefront/sponsored-buyers/${other}/suspend`, {
      key: seller.key,
    });
    expect(suspended.body.data.status).toBe('suspended');
  });

  it("answers another organisation's sponsored buyer with 404 and a bad id with 400", async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (await mint(seller, { storefrontId: storefront.id })).body.data;
    const joined = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
      body: signupBody(),
    });
    const { seller: other } = await sellerWithStorefront();
    const res = await h.call(
      'POST',
      `/api/v2/storefront/sponsored-buyers/${joined.body.data.buyerCustomerId}/approve`,
      { key: other.key },
    );
    expect(res.status).toBe(404);
    expect(
      (await h.call('POST', '/api/v2/storefront/sponsored-buyers/abc/approve', { key: other.key }))
        .status,
    ).toBe(400);
  });

  it('refuses closed, revoked, expired and unknown links clearly and creates nothing', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const closed = (await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'closed' }))
      .body.data;
    const revoked = (await mint(seller, { storefrontId: storefront.id })).body.data;
    await h.call('DELETE', `/api/v2/storefront/join-links/${revoked.id}`, { key: seller.key });
    const expiring = (await mint(seller, { storefrontId: storefront.id, expiresAt: inAnHour() }))
      .body.data;
    await expireNow(expiring.id);
    for (const [slug, reason] of [
      [closed.slug, 'closed'],
      [revoked.slug, 'revoked'],
      [expiring.slug, 'expired'],
    ]) {
      const res = await h.call('POST', `/api/v2/storefront/join/${slug}/signup`, {
        body: signupBody(),
      });
      expect(res.status, reason).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'JOIN_LINK_UNAVAILABLE', details: { reason } });
    }
    expect(
      (await h.call('POST', '/api/v2/storefront/join/never-minted/signup', { body: signupBody() }))
        .status,
    ).toBe(404);
    const buyers = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: seller.key });
    expect(buyers.body.data.total).toBe(0);
  });

  it('answers the same email twice on one storefront with 409, without consuming a use', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (
      await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'auto_approve' })
    ).body.data;
    const body = signupBody();
    expect(
      (await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, { body })).status,
    ).toBe(201);
    const again = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
      body: { ...body, email: body.email.toUpperCase(), name: 'Someone else' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('email');
    const links = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(links.body.data.items[0].uses).toBe(1);
  });

  it('validates the signup form, naming the field', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (await mint(seller, { storefrontId: storefront.id })).body.data;
    for (const [override, field] of [
      [{ email: 'not-an-email' }, 'email'],
      [{ brandDomain: 'nope' }, 'brandDomain'],
      [{ acceptTerms: false }, 'acceptTerms'],
      [{ country: 'usa' }, 'country'],
      [{ name: '' }, 'name'],
    ] as const) {
      const res = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
        body: signupBody(override),
      });
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('admits exactly maxUses of 200 concurrent signups, settled in the database', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (
      await mint(seller, {
        storefrontId: storefront.id,
        approvalPolicy: 'auto_approve',
        maxUses: 50,
      })
    ).body.data;
    // Each signup as a client sends it: a 503 (the five-connection test pool's 5 s wait for a
    // connection ran out, as on a loaded CI machine: platform/db/errors.ts) is retryable and is
    // sent again; every signup ends admitted or refused.
    const signup = async () => {
      const body = signupBody();
      for (let attempt = 1; ; attempt++) {
        const res = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, { body });
        if (res.status !== 503 || attempt === 5) return res;
      }
    };
    const results = await Promise.all(Array.from({ length: 200 }, signup));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(results.find((r) => r.status === 409)?.body.error.details.reason).toBe('exhausted');
    const buyers = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: seller.key });
    expect(buyers.body.data.total).toBe(50);
    const ctx = await h.call('GET', `/api/v2/storefront/join-context/${link.slug}`);
    expect(ctx.body.data.valid).toBe(false);
    const links = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(links.body.data.items[0]).toMatchObject({ uses: 50, maxUses: 50 });
  });

  it('shows a disabled link as invalid at once, even right after its context was read', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (await mint(seller, { storefrontId: storefront.id })).body.data;
    const url = `/api/v2/storefront/join-context/${link.slug}`;
    expect((await h.call('GET', url)).body.data.valid).toBe(true);
    await h.call('DELETE', `/api/v2/storefront/join-links/${link.id}`, { key: seller.key });
    expect((await h.call('GET', url)).body.data.valid).toBe(false);
  });

  it('keeps joined buyers working after their link is disabled', async () => {
    const { seller, storefront } = await sellerWithStorefront();
    const link = (
      await mint(seller, { storefrontId: storefront.id, approvalPolicy: 'auto_approve' })
    ).body.data;
    const joined = await h.call('POST', `/api/v2/storefront/join/${link.slug}/signup`, {
      body: signupBody(),
    });
    await h.call('DELETE', `/api/v2/storefront/join-links/${link.id}`, { key: seller.key });
    const me = await h.call('GET', '/api/v2/accounts/current', { key: joined.body.data.apiKey });
    expect(me.status).toBe(200);
    expect(me.body.data.sponsorship).toEqual({ storefrontId: storefront.id, status: 'active' });
  });
});
