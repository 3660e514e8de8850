import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downUrl, type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { sponsoredBuyerKey, storefrontWith } from '../../agents/storefront-agent-support.js';

let h: Harness;
let bearer: RunningSeller;
let a2a: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  [bearer, a2a] = await Promise.all([startSeller('bearer'), startSeller('a2a')]);
});
afterAll(async () => {
  await Promise.all([bearer?.close(), a2a?.close()]);
  await h?.close();
});

const base = '/api/v2/buyer/sales-agents';

describe('remote sales agents', () => {
  it('registers an agent with a bearer token, probes it, and never shows or logs the token', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const created = await h.call('POST', base, {
      key: buyer.key,
      body: {
        name: 'Direct seller',
        endpointUrl: bearer.url,
        protocol: 'mcp',
        auth: { type: 'bearer', token: bearer.token },
      },
    });
    expect(created.status, created.text).toBe(201);
    const agent = created.body.data;
    expect(agent).toMatchObject({
      agentId: expect.stringMatching(/^remote-\d+$/),
      name: 'Direct seller',
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      authConfigured: true,
      status: 'ACTIVE',
      relationship: 'SELF',
      health: { status: 'healthy' },
    });
    expect(agent.capabilities).toMatchObject({
      products: 'supported',
      createMediaBuy: 'supported',
    });
    const token = bearer.token as string;
    expect(created.text).not.toContain(token);
    expect(h.rawLogs()).not.toContain(token);
    const { rows } = (await h.database.db.execute(
      sql`select auth_sealed from buyer_sales_agents where customer_id = ${buyer.id}`,
    )) as unknown as { rows: { auth_sealed: string }[] };
    const sealed = String(rows[0]?.auth_sealed);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(token);

    const got = await h.call('GET', `${base}/${agent.agentId}`, { key: buyer.key });
    expect(got.body.data).toEqual(agent);
    const listed = await h.call('GET', base, { key: buyer.key });
    expect(listed.body.data).toMatchObject({ total: 1, hasMore: false, nextOffset: null });
    expect(listed.body.data.items.map((a: { agentId: string }) => a.agentId)).toEqual([
      agent.agentId,
    ]);

    // A wrong token is probed at once: the agent refuses it.
    const wrong = await h.call('PUT', `${base}/${agent.agentId}`, {
      key: buyer.key,
      body: { name: 'Direct seller (rotated)', auth: { type: 'bearer', token: 'not-the-token' } },
    });
    expect(wrong.status, wrong.text).toBe(200);
    expect(wrong.body.data).toMatchObject({
      name: 'Direct seller (rotated)',
      health: { status: 'failing', lastError: { code: 'unauthorized' } },
    });
    await h.call('PUT', `${base}/${agent.agentId}`, {
      key: buyer.key,
      body: { auth: { type: 'bearer', token: bearer.token } },
    });
    const refreshed = await h.call('POST', `${base}/${agent.agentId}/capabilities/refresh`, {
      key: buyer.key,
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.data.health.status).toBe('healthy');
    const disabled = await h.call('PUT', `${base}/${agent.agentId}`, {
      key: buyer.key,
      body: { status: 'DISABLED' },
    });
    expect(disabled.body.data).toMatchObject({ status: 'DISABLED', authConfigured: true });

    const removed = await h.call('DELETE', `${base}/${agent.agentId}`, { key: buyer.key });
    expect(removed.status).toBe(200);
    const gone = await h.call('GET', `${base}/${agent.agentId}`, { key: buyer.key });
    expect(gone.status).toBe(404);
  });

  it('takes an A2A agent by agentUrl, and keeps an agent that does not answer with its health failing', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const viaA2a = await h.call('POST', base, {
      key: buyer.key,
      body: { name: 'A2A seller', agentUrl: a2a.url, protocol: 'a2a' },
    });
    expect(viaA2a.status, viaA2a.text).toBe(201);
    expect(viaA2a.body.data).toMatchObject({
      endpointUrl: a2a.url,
      protocol: 'A2A',
      authenticationType: 'NO_AUTH',
      authConfigured: false,
      health: { status: 'healthy' },
    });
    const down = await h.call('POST', base, {
      key: buyer.key,
      body: { name: 'Gone', endpointUrl: await downUrl() },
    });
    expect(down.status, down.text).toBe(201);
    expect(down.body.data.health).toMatchObject({
      status: 'failing',
      lastError: { code: 'unreachable' },
    });
    expect(down.body.data.capabilities).toBeNull();
  });
});

describe('remote sales agents: errors', () => {
  it('refuses a second agent at the same endpoint, a token-less API_KEY, and auth with NO_AUTH', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const body = { name: 'A2A seller', endpointUrl: a2a.url, protocol: 'A2A' };
    expect((await h.call('POST', base, { key: buyer.key, body })).status).toBe(201);
    const twice = await h.call('POST', base, { key: buyer.key, body });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'CONFLICT', field: 'endpointUrl' });
    const noToken = await h.call('POST', base, {
      key: buyer.key,
      body: { name: 'x', endpointUrl: bearer.url, authenticationType: 'API_KEY' },
    });
    expect(noToken.status).toBe(400);
    expect(noToken.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'auth' });
    const tokenWithoutAuth = await h.call('POST', base, {
      key: buyer.key,
      body: {
        name: 'x',
        endpointUrl: bearer.url,
        authenticationType: 'NO_AUTH',
        auth: { type: 'bearer', token: 'abc' },
      },
    });
    expect(tokenWithoutAuth.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'auth' });
    const noUrl = await h.call('POST', base, { key: buyer.key, body: { name: 'x' } });
    expect(noUrl.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'endpointUrl' });
    const notRemote = await h.call('GET', `${base}/storefront-12`, { key: buyer.key });
    expect(notRemote.status).toBe(400);
  });

  it('refuses a loopback endpoint unless the operator allows private networks', async () => {
    const guarded = await h.buildApp(
      { INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' },
      { services: true },
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const refused = await h.call('POST', base, {
      key: buyer.key,
      app: guarded,
      body: { name: 'Local', endpointUrl: bearer.url },
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'endpointUrl' });
    expect(refused.body.error.message).toMatch(/INTERCHANGE_ALLOW_PRIVATE_NETWORK=1/);
  });
});

describe('remote sales agents: security', () => {
  it("answers 404 for another buyer's agent on every route, and lists only the caller's", async () => {
    const owner = await createCustomer(h, { role: 'BUYER' });
    const other = await createCustomer(h, { role: 'BUYER' });
    const created = await h.call('POST', base, {
      key: owner.key,
      body: { name: 'Mine', endpointUrl: a2a.url, protocol: 'A2A' },
    });
    const { agentId } = created.body.data;
    for (const [method, path, body] of [
      ['GET', `${base}/${agentId}`, undefined],
      ['PUT', `${base}/${agentId}`, { name: 'Taken' }],
      ['DELETE', `${base}/${agentId}`, undefined],
      ['POST', `${base}/${agentId}/capabilities/refresh`, undefined],
    ] as const) {
      const res = await h.call(method, path, { key: other.key, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await h.call('GET', base, { key: other.key })).body.data.total).toBe(0);
    expect((await h.call('GET', `${base}/${agentId}`, { key: owner.key })).body.data.name).toBe(
      'Mine',
    );
    expect((await h.call('GET', base)).status).toBe(401);
  });

  it('refuses agents to a sponsored buyer (it buys only through its storefront)', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: a2a.url, protocol: 'A2A' }]);
    const key = await sponsoredBuyerKey(h, sf.seller, sf.id);
    const refused = await h.call('POST', base, {
      key,
      body: { name: 'Elsewhere', endpointUrl: bearer.url },
    });
    expect(refused.status).toBe(403);
    expect((await h.call('GET', base, { key })).body.data).toMatchObject({ total: 0, items: [] });
  });
});
