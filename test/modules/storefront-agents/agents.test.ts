import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
let open: RunningSeller;
let bearer: RunningSeller;
beforeAll(async () => {
  h = await createHarness();
  [open, bearer] = await Promise.all([startSeller('mcp'), startSeller('bearer')]);
});
afterAll(async () => {
  await Promise.all([open?.close(), bearer?.close()]);
  await h.close();
});

const base = '/api/v2/storefront/agents';
const sources = '/api/v2/storefront/inventory-sources';

/** A seller with two sources on one open agent, one credentialed agent, and a draft. */
async function sellerWithSources(): Promise<TestCustomer> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const add = (body: Record<string, unknown>) => h.call('POST', sources, { key: seller.key, body });
  await add({ name: 'Open A', sourceId: 'open-a', endpointUrl: open.url });
  await add({ name: 'Open B', sourceId: 'open-b', endpointUrl: open.url });
  await h.call('PUT', `${sources}/open-b`, { key: seller.key, body: { status: 'ACTIVE' } });
  await add({
    name: 'Premium',
    sourceId: 'premium',
    endpointUrl: bearer.url,
    authenticationType: 'API_KEY',
    requiresCredentials: true,
  });
  await add({ name: 'Draft' });
  return seller;
}

describe('storefront agents (hosted /storefront/agents)', () => {
  it("lists one agent per endpoint behind the storefront's sources, drafts left out", async () => {
    const seller = await sellerWithSources();
    const res = await h.call('GET', base, { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 2, hasMore: false, nextOffset: null });
    const [openAgent, premium] = res.body.data.items;
    expect(openAgent).toMatchObject({
      agentId: expect.stringMatching(/^agt_/),
      type: 'SALES',
      protocol: 'MCP',
      status: 'ACTIVE',
      relationship: 'SELF',
      requiresOperatorAuth: false,
      requiresAccount: false,
      authConfigured: true,
      customerAccountCount: 0,
      sourceIds: ['open-a', 'open-b'],
    });
    expect(premium).toMatchObject({
      status: 'PENDING',
      requiresOperatorAuth: true,
      requiresAccount: true,
      authConfigured: false,
      sourceIds: ['premium'],
    });

    const filtered = await h.call('GET', `${base}?supportsRegistration=true&limit=1`, {
      key: seller.key,
    });
    expect(filtered.body.data.items.map((a: { sourceIds: string[] }) => a.sourceIds)).toEqual([
      ['premium'],
    ]);
    const marketplace = await h.call('GET', `${base}?relationship=MARKETPLACE`, {
      key: seller.key,
    });
    expect(marketplace.body.data).toMatchObject({ items: [], total: 0 });
    const unknownFilter = await h.call('GET', `${base}?colour=red`, { key: seller.key });
    expect(unknownFilter.status).toBe(400);
  });

  it('shows one agent with its endpoint, authentication and billing options', async () => {
    const seller = await sellerWithSources();
    const [openAgent] = (await h.call('GET', base, { key: seller.key })).body.data.items;
    const res = await h.call('GET', `${base}/${openAgent.agentId}`, { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      agentId: openAgent.agentId,
      endpointUrl: open.url,
      authenticationType: 'NO_AUTH',
      customerId: expect.any(Number),
      hasCustomerAccount: false,
      hasMasterAccount: false,
      oauth: null,
      billingOptions: { supported: expect.any(Array) },
    });
    expect((await h.call('GET', `${base}/agt_unknown`, { key: seller.key })).status).toBe(404);
  });

  it('re-probes capabilities through the source probe path and records it', async () => {
    const seller = await sellerWithSources();
    const [openAgent] = (await h.call('GET', base, { key: seller.key })).body.data.items;
    const before = await h.call('GET', `${sources}/open-a`, { key: seller.key });
    const res = await h.call('POST', `${base}/${openAgent.agentId}/capabilities/refresh`, {
      key: seller.key,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      protocols: ['mcp'],
      tools: expect.arrayContaining(['get_adcp_capabilities', 'get_products']),
      requireOperatorAuth: false,
    });
    expect(res.body.data.version).not.toBe('');
    const after = await h.call('GET', `${sources}/open-a`, { key: seller.key });
    expect(after.body.data.health.lastProbeAt > before.body.data.health.lastProbeAt).toBe(true);
    const logs = await h.call('GET', '/api/v2/storefront/audit-logs?actions=PROBE', {
      key: seller.key,
    });
    const probedB = logs.body.data.logs.filter(
      (l: { resourceId: string }) => l.resourceId === 'open-b',
    );
    expect(probedB.length).toBeGreaterThanOrEqual(2);
  });

  it('answers 503 when the agent does not answer, keeping the failure on the source', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const flaky = await startSeller('mcp');
    await h.call('POST', sources, {
      key: seller.key,
      body: { name: 'Flaky', endpointUrl: flaky.url },
    });
    const [agent] = (await h.call('GET', base, { key: seller.key })).body.data.items;
    await flaky.close();
    const res = await h.call('POST', `${base}/${agent.agentId}/capabilities/refresh`, {
      key: seller.key,
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('AGENT_UNAVAILABLE');
    const source = await h.call('GET', `${sources}/flaky`, { key: seller.key });
    expect(source.body.data.health.status).toBe('failing');
  });

  it('refuses agent-level (operator) OAuth with 400, pointing at the account flow', async () => {
    const seller = await sellerWithSources();
    const [openAgent] = (await h.call('GET', base, { key: seller.key })).body.data.items;
    const res = await h.call('POST', `${base}/${openAgent.agentId}/oauth/authorize`, {
      key: seller.key,
      body: { redirectUri: 'https://app.example/callback' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'OPERATOR_OAUTH_UNSUPPORTED', field: 'agentId' });
    expect(res.body.error.message).toContain('accounts/oauth/authorize');
  });

  describe('security', () => {
    it("answers another seller's agent with 404 on every route", async () => {
      const owner = await sellerWithSources();
      const other = await createCustomer(h, { role: 'SELLER' });
      const [agent] = (await h.call('GET', base, { key: owner.key })).body.data.items;
      for (const [method, url] of [
        ['GET', `${base}/${agent.agentId}`],
        ['POST', `${base}/${agent.agentId}/capabilities/refresh`],
        ['POST', `${base}/${agent.agentId}/oauth/authorize`],
      ] as const) {
        const res = await h.call(method, url, { key: other.key });
        expect(res.status, `${method} ${url}`).toBe(404);
      }
      expect((await h.call('GET', base, { key: other.key })).body.data.total).toBe(0);
    });

    it('is seller-only and needs a key', async () => {
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const res = await h.call('GET', base, { key: buyer.key });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
      expect((await h.call('GET', base)).status).toBe(401);
    });
  });
});
