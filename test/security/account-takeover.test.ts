import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/**
 * Identity never merges by email, and a sponsored buyer stays confined to its storefront on every
 * customer it can reach. Each case here was an exploit against the public signup.
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Storefront {
  seller: TestCustomer;
  id: number;
}

/** A SELLER's storefront, listed on the marketplace so ordinary buyers can see it. */
async function listedStorefront(domain?: string): Promise<Storefront> {
  const seller = await createCustomer(h, { role: 'SELLER', ...(domain && { domain }) });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { channels: ['ctv'], defaultCurrency: 'USD' },
  });
  const listed = await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  if (listed.status !== 200) throw new Error(listed.text);
  return { seller, id: sf.body.data.id as number };
}

async function joinLink(sf: Storefront, approvalPolicy = 'auto_approve'): Promise<string> {
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: sf.seller.key,
    body: { storefrontId: sf.id, approvalPolicy },
  });
  if (link.status !== 201) throw new Error(link.text);
  return link.body.data.slug as string;
}

const signup = (slug: string, email: string, extra: Record<string, unknown> = {}) =>
  h.call('POST', `/api/v2/storefront/join/${slug}/signup`, {
    body: { name: 'Mallory', email, brandDomain: 'evil.example', acceptTerms: true, ...extra },
  });

async function sponsoredBuyer(sf: Storefront, approvalPolicy = 'auto_approve') {
  const res = await signup(await joinLink(sf, approvalPolicy), `b${randomUUID()}@brand.example`);
  if (res.status !== 201) throw new Error(res.text);
  return { key: res.body.data.apiKey as string, id: res.body.data.buyerCustomerId as number };
}

/** The email of the user a key acts for, as the account endpoints show it to that user. */
async function emailOf(customer: TestCustomer): Promise<string> {
  const ctx = await h.call('POST', '/api/v2/accounts/switch', {
    key: customer.key,
    body: { customerId: customer.id },
  });
  return ctx.body.data.user.email as string;
}

describe('a public signup never takes over an existing user', () => {
  it("answers 409 for a seller admin's email and mints no key, in any letter case", async () => {
    const home = await listedStorefront();
    const slug = await joinLink(home);
    const victimEmail = await emailOf(home.seller);
    for (const email of [victimEmail, victimEmail.toUpperCase()]) {
      const res = await signup(slug, email);
      expect(res.status, email).toBe(409);
      expect(res.body.data).toBeNull();
      expect(res.body.error).toMatchObject({ code: 'EMAIL_ALREADY_REGISTERED', field: 'email' });
      expect(res.text).not.toMatch(/ix_[a-z0-9]{12}_/);
    }
    // The refused signups consumed nothing and created no sponsored buyer.
    const buyers = await h.call('GET', '/api/v2/storefront/sponsored-buyers', {
      key: home.seller.key,
    });
    expect(buyers.body.data.items).toEqual([]);
  });

  it('gives generated admin emails a random part, so the seed pattern admin+<id>@domain claims nothing', async () => {
    const domain = `pub-${randomUUID().slice(0, 8)}.example`;
    const home = await listedStorefront(domain);
    const email = await emailOf(home.seller);
    expect(email.endsWith(`@${domain}`)).toBe(true);
    expect(email).not.toBe(`admin+${home.seller.id}@${domain}`);
    expect(email.split('@')[0]!.length).toBeGreaterThanOrEqual('admin+'.length + 12);

    // Signing up with the guessable address makes a new, unrelated buyer.
    const res = await signup(await joinLink(home), `admin+${home.seller.id}@${domain}`);
    expect(res.status).toBe(201);
    const attacker = res.body.data.apiKey as string;
    const accounts = await h.call('GET', '/api/v2/accounts', { key: attacker });
    expect(accounts.body.data.accounts.map((a: { id: number }) => a.id)).toEqual([
      res.body.data.buyerCustomerId,
    ]);
    const escalate = await h.call('POST', '/api/v2/accounts/switch', {
      key: attacker,
      body: { customerId: home.seller.id },
    });
    expect(escalate.status).toBe(403);
    for (const url of [
      '/api/v2/storefront',
      '/api/v2/storefront/inventory-sources',
      '/api/v2/storefront/operating-instructions',
    ]) {
      expect((await h.call('GET', url, { key: attacker })).status, url).toBe(403);
    }
  });

  it('lets an admin-created customer not adopt an existing user by email either', async () => {
    const home = await listedStorefront();
    const res = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: {
        name: 'Copycat',
        customerRole: 'BUYER',
        customerDomain: 'copycat.example',
        adminEmail: await emailOf(home.seller),
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'EMAIL_ALREADY_REGISTERED', field: 'email' });
  });

  it('admits exactly one of many concurrent signups of one new email across storefronts, the rest 409', async () => {
    const slugs = await Promise.all(
      [await listedStorefront(), await listedStorefront(), await listedStorefront()].map((sf) =>
        joinLink(sf),
      ),
    );
    const email = `race.${randomUUID()}@brand.example`;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signup(slugs[i % slugs.length]!, email)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error.field).toBe('email');
    }
  });
});

describe('a sponsored buyer stays confined on every customer it can reach', () => {
  it('may not create child accounts, of either role, active or pending', async () => {
    const home = await listedStorefront();
    for (const policy of ['auto_approve', 'manual_approve']) {
      const buyer = await sponsoredBuyer(home, policy);
      for (const customerRole of ['SELLER', 'BUYER']) {
        const res = await h.call('POST', '/api/v2/accounts/create-child', {
          key: buyer.key,
          body: { name: 'escape', customerRole },
        });
        expect(res.status, `${policy} ${customerRole}`).toBe(403);
        expect(res.body.error.code).toBe('SPONSORED_BUYER_RESTRICTED');
      }
      const accounts = await h.call('GET', '/api/v2/accounts', { key: buyer.key });
      expect(accounts.body.data.accounts).toHaveLength(1);
      const current = await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
      expect(current.body.data.customerType).toBe('STANDALONE');
    }
  });

  it('confines a child of a sponsored customer (made before children were refused) like its parent', async () => {
    const home = await listedStorefront();
    const elsewhere = await listedStorefront();
    const marketBuyer = await createCustomer(h, { role: 'BUYER' });
    const buyer = await sponsoredBuyer(home);
    // Plant the child the way the old create-child made it: a CHILD customer the user
    // administers, with the key switched to it.
    const { rows } = (await h.database.db.execute(
      sql.raw(`insert into customers (name, company, customer_role, customer_type, parent_id)
       values ('legacy child', 'legacy', 'BUYER', 'CHILD', ${buyer.id}) returning id`),
    )) as unknown as { rows: { id: number }[] };
    const childId = rows[0]!.id;
    await h.database.db.execute(
      sql.raw(`insert into memberships (user_id, customer_id, role)
       select user_id, ${childId}, 'ADMIN' from memberships where customer_id = ${buyer.id}`),
    );
    const switched = await h.call('POST', '/api/v2/accounts/switch', {
      key: buyer.key,
      body: { customerId: childId },
    });
    expect(switched.status).toBe(200);

    const base = '/api/v2/buyer/storefronts';
    expect((await h.call('GET', `${base}/${elsewhere.id}`, { key: marketBuyer.key })).status).toBe(
      200,
    );
    expect((await h.call('GET', `${base}/${elsewhere.id}`, { key: buyer.key })).status).toBe(404);
    expect((await h.call('GET', `${base}/${home.id}`, { key: buyer.key })).status).toBe(200);
    const list = await h.call('GET', `${base}?limit=50`, { key: buyer.key });
    expect(list.body.data.items.map((s: { id: number }) => s.id)).toEqual([home.id]);
    const current = await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
    expect(current.body.data).toMatchObject({
      id: childId,
      sponsorship: { storefrontId: home.id, status: 'active' },
    });
  });

  it("cannot reach another storefront's objects through REST", async () => {
    const home = await listedStorefront();
    const other = await listedStorefront();
    const buyer = await sponsoredBuyer(home);
    const base = `/api/v2/buyer/storefronts/${other.id}`;
    for (const [method, url, body] of [
      ['GET', base, undefined],
      [
        'POST',
        `${base}/sources/premium/credentials`,
        { accountIdentifier: 'x', auth: { type: 'api_key', token: 'some-token' } },
      ],
    ] as const) {
      const res = await h.call(method, url, { key: buyer.key, body });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const switched = await h.call('POST', '/api/v2/accounts/switch', {
      key: buyer.key,
      body: { customerId: other.seller.id },
    });
    expect(switched.status).toBe(403);
  });
});
