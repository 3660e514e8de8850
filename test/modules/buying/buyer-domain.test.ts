import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import {
  createBuyerWithoutDomain,
  createCustomer,
  createHarness,
  type Harness,
} from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { discover, type Json, productsOf } from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
let sf: { id: number; platformId: string };
/** A storefront over @adcp/sdk's example seller (accounts resolved from brand and operator). */
let sfSdk: { id: number; platformId: string };

beforeAll(async () => {
  h = await createHarness();
  [demo, sdk] = await Promise.all([startSeller('mcp'), startSdkSeller()]);
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  sfSdk = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
}, 60_000);
afterAll(async () => {
  await Promise.all([demo?.close(), sdk?.close()]);
  await h?.close();
});

const brief = 'Outdoor display for a spring launch';

async function advertiserOf(key: string) {
  const created = await h.call('POST', '/api/v2/buyer/advertisers', {
    key,
    body: { name: 'Acme Outdoor', brand: 'acmeoutdoor.example', primaryCurrency: 'USD' },
  });
  expect(created.status, created.text).toBe(201);
  return Number(created.body.data.id);
}

describe('a buyer organisation’s domain', () => {
  it('is required to create a BUYER customer, naming the field', async () => {
    const res = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: { name: 'No domain', customerRole: 'BUYER' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('customerDomain');
    const seller = await h.call('POST', '/api/v2/admin/customers', {
      key: h.adminKey,
      body: { name: 'Seller without domain', customerRole: 'SELLER' },
    });
    expect(seller.status).toBe(201);
  });

  it('is inherited by a buyer child account created without one', async () => {
    const parent = await createCustomer(h, { role: 'BUYER', domain: 'parent-agency.example' });
    const child = await h.call('POST', '/api/v2/accounts/create-child', {
      key: parent.key,
      body: { name: 'Sports desk', customerRole: 'BUYER' },
    });
    expect(child.status, child.text).toBe(201);
    const current = await h.call('GET', '/api/v2/accounts/current', { key: parent.key });
    expect(current.body.data).toMatchObject({
      id: child.body.data.customer.id,
      customerDomain: 'parent-agency.example',
      readiness: { status: 'ready', issues: [] },
    });
  });

  it('when missing, is named with its fix in readiness, discovery and execute, and setting it brings the products', async () => {
    const buyer = await createBuyerWithoutDomain(h);
    const current = await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
    expect(current.status).toBe(200);
    expect(current.body.data.customerDomain).toBeNull();
    expect(current.body.data.readiness.status).toBe('action_required');
    expect(current.body.data.readiness.issues).toEqual([
      expect.objectContaining({
        code: 'CUSTOMER_DOMAIN_MISSING',
        fix: expect.stringContaining('PUT /api/v2/accounts/current'),
      }),
    ]);

    const advertiserId = await advertiserOf(buyer.key);
    const storefrontIds = [sf.id, sfSdk.id];
    const found = await discover(h, buyer.key, { advertiserId, brief, storefrontIds });
    expect(found.status).toBe(200);
    const page: Json = found.body.data;
    expect(productsOf(page, sf.platformId)).toHaveLength(0);
    expect(productsOf(page, sfSdk.platformId)).toHaveLength(0);
    expect(page.warnings).toEqual([expect.objectContaining({ code: 'CUSTOMER_DOMAIN_MISSING' })]);
    expect(page.guidance).toContain('PUT /api/v2/accounts/current');
    // Where the buyer looks for what failed to answer, the reason comes first, with its fix.
    expect(page.connectionIssues[0]).toMatchObject({
      providerType: 'interchange',
      reason: 'customer_domain_missing',
      suggestion: expect.stringContaining('PUT /api/v2/accounts/current'),
    });
    // Browsing the session says it again.
    const browsed = await h.call(
      'GET',
      `/api/v2/buyer/discovery/${page.discoveryId}/discover-products`,
      { key: buyer.key },
    );
    expect(browsed.body.data.warnings?.[0]?.code).toBe('CUSTOMER_DOMAIN_MISSING');

    const start = new Date(Date.now() + 86_400_000);
    const campaign = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId,
        name: 'Nothing to book',
        flightDates: {
          startDate: start.toISOString(),
          endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
        },
        budget: { total: 1000 },
        discoveryId: page.discoveryId,
      },
    });
    expect(campaign.status, campaign.text).toBe(201);
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${campaign.body.data.campaign.campaignId}/execute`,
      { key: buyer.key, body: {} },
    );
    expect(executed.status).toBe(200);
    expect(executed.body.data.warnings).toEqual([
      expect.objectContaining({
        type: 'customer_domain_missing',
        hint: expect.stringContaining('PUT /api/v2/accounts/current'),
      }),
    ]);

    const set = await h.call('PUT', '/api/v2/accounts/current', {
      key: buyer.key,
      body: { customerDomain: 'Late-Agency.example' },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.data).toEqual({
      id: buyer.id,
      customerDomain: 'late-agency.example',
      customerDomainApproved: false,
    });
    const ready = await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
    expect(ready.body.data.readiness).toEqual({ status: 'ready', issues: [] });
    const again = await discover(h, buyer.key, { advertiserId, brief, storefrontIds });
    expect(again.body.data.warnings).toBeUndefined();
    expect(productsOf(again.body.data, sf.platformId).length).toBeGreaterThan(0);
    expect(productsOf(again.body.data, sfSdk.platformId).length).toBeGreaterThan(0);
  });

  it('is set only by an ADMIN of that customer, with a 400 naming a bad one', async () => {
    const a = await createCustomer(h, { role: 'BUYER' });
    const b = await createCustomer(h, { role: 'BUYER' });
    const other = await h.call('PATCH', `/api/v2/accounts/${b.id}/domain`, {
      key: a.key,
      body: { customerDomain: 'takeover.example' },
    });
    expect(other.status).toBe(404);
    const bad = await h.call('PATCH', `/api/v2/accounts/${a.id}/domain`, {
      key: a.key,
      body: { customerDomain: 'not a domain' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('customerDomain');
    const own = await h.call('PATCH', `/api/v2/accounts/${a.id}/domain`, {
      key: a.key,
      body: { customerDomain: 'renamed-agency.example' },
    });
    expect(own.status).toBe(200);
    expect(own.body.data.customerDomain).toBe('renamed-agency.example');
  });
});
