import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downUrl, type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { startTokenEndpoint } from '../../fixtures/token-endpoint.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

let h: Harness;
let mcp: RunningSeller;
let a2a: RunningSeller;
let bearer: RunningSeller;
let basic: RunningSeller;
const basicAuth = { username: 'interchange', password: 'basic-secret-0123456789' };
beforeAll(async () => {
  h = await createHarness();
  [mcp, a2a, bearer, basic] = await Promise.all([
    startSeller('mcp'),
    startSeller('a2a', { protocol: 'A2A' }),
    startSeller('bearer', { token: 'operator-token-abcdef123456' }),
    startSeller('mcp', { basicAuth }),
  ]);
});
afterAll(async () => {
  await Promise.all([mcp?.close(), a2a?.close(), bearer?.close(), basic?.close()]);
  await h.close();
});

const base = '/api/v2/storefront/inventory-sources';

async function addSource(key: string, body: Record<string, unknown>) {
  return h.call('POST', base, { key, body });
}

describe('inventory sources', () => {
  it('registers an MCP agent as PENDING and caches what the probe learned', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'Premium CTV Agent',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    expect(res.status).toBe(201);
    const source = res.body.data;
    expect(source).toMatchObject({
      sourceId: 'premium-ctv-agent',
      status: 'PENDING',
      executionType: 'AGENT',
      role: 'ingredient',
      authConfigured: false,
      agentId: expect.stringMatching(/^agt_/),
      health: { status: 'healthy', lastError: null },
    });
    expect(source.id).toMatch(/^\d+$/);
    expect(source.capabilities).toMatchObject({
      syntheticManifest: false,
      products: 'supported',
      createMediaBuy: 'supported',
      channels: expect.arrayContaining(['display', 'olv', 'ctv']),
      publisherDomains: ['demo-publisher.example'],
    });
    expect(source.capabilities.tools).toEqual(
      expect.arrayContaining(['get_adcp_capabilities', 'get_products']),
    );

    const list = await h.call('GET', base, { key: seller.key });
    expect(list.body.data.map((s: { sourceId: string }) => s.sourceId)).toEqual([
      'premium-ctv-agent',
    ]);
    expect(list.body.meta.pagination).toEqual({ skip: 0, take: 1, total: 1, hasMore: false });
  });

  it('probes an A2A agent through its agent card', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'A2A seller',
      sourceId: 'a2a-seller',
      endpointUrl: a2a.url,
      protocol: 'A2A',
      authenticationType: 'NO_AUTH',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.health.status).toBe('healthy');
    expect(res.body.data.capabilities.products).toBe('supported');
  });

  it('shares one agentId between sources on the same endpoint', async () => {
    const a = await createCustomer(h, { role: 'SELLER' });
    const b = await createCustomer(h, { role: 'SELLER' });
    const body = {
      name: 'Shared',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    };
    const ia = (await addSource(a.key, body)).body.data.agentId;
    const ib = (await addSource(b.key, body)).body.data.agentId;
    expect(ia).toBe(ib);
  });

  it('keeps the credential encrypted, never returns it, and activates only with working auth', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const wrong = await addSource(seller.key, {
      name: 'Bearer agent',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: 'wrong-token-000000' },
    });
    expect(wrong.status).toBe(201);
    expect(wrong.body.data).toMatchObject({ authConfigured: true, health: { status: 'failing' } });
    expect(wrong.body.data.health.lastError.code).toBe('unauthorized');
    expect(wrong.text).not.toContain('wrong-token-000000');

    const refused = await h.call('PUT', `${base}/bearer-agent`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'status' });
    const still = await h.call('GET', `${base}/bearer-agent`, { key: seller.key });
    expect(still.body.data.status).toBe('PENDING');

    const fixed = await h.call('PUT', `${base}/bearer-agent`, {
      key: seller.key,
      body: { auth: { type: 'api_key', token: bearer.token }, status: 'ACTIVE' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.data).toMatchObject({ status: 'ACTIVE', health: { status: 'healthy' } });

    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row check
      `select auth_sealed from inventory_sources where source_id = 'bearer-agent'` as any,
    )) as { rows: { auth_sealed: string }[] };
    expect(rows[0]?.auth_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(bearer.token as string);
    expect(h.rawLogs()).not.toContain(bearer.token as string);
  });

  it('mints access tokens for JWT credentials at the token endpoint and reuses them', async () => {
    const tokens = await startTokenEndpoint(bearer.token as string);
    const seller = await createCustomer(h, { role: 'SELLER' });
    const jwt = {
      type: 'jwt',
      privateKey: tokens.privateKeyPem,
      issuer: tokens.issuer,
      subject: 'storefront-operator',
      keyId: 'key-1',
      scope: 'adcp',
      tokenEndpointUrl: tokens.url,
      audienceUrl: tokens.audience,
      algorithm: 'ES256',
    };
    const res = await addSource(seller.key, {
      name: 'JWT agent',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'JWT',
      auth: jwt,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ authConfigured: true, health: { status: 'healthy' } });
    expect(res.text).not.toContain('PRIVATE KEY');
    await h.call('POST', `${base}/jwt-agent/refresh`, { key: seller.key });
    expect(tokens.grants()).toBe(1);

    const wrongIssuer = await addSource(seller.key, {
      name: 'JWT wrong issuer',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'JWT',
      auth: { ...jwt, issuer: 'someone-else' },
    });
    expect(wrongIssuer.body.data.health.lastError).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/token endpoint refused/),
    });
    await tokens.close();
  });

  it('lets a source that takes buyer credentials go ACTIVE without the operator’s', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'BYO creds',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      requiresCredentials: true,
    });
    expect(res.status).toBe(201);
    const active = await h.call('PUT', `${base}/byo-creds`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(active.status).toBe(200);
    expect(active.body.data.status).toBe('ACTIVE');
  });

  it('follows the status machine: never back to PENDING', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await addSource(seller.key, {
      name: 'm',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    const off = await h.call('PUT', `${base}/m`, { key: seller.key, body: { status: 'DISABLED' } });
    expect(off.body.data.status).toBe('DISABLED');
    const back = await h.call('PUT', `${base}/m`, { key: seller.key, body: { status: 'PENDING' } });
    expect(back.status).toBe(400);
    expect(back.body.error.details.allowed).toEqual(['ACTIVE']);
    const on = await h.call('PUT', `${base}/m`, { key: seller.key, body: { status: 'ACTIVE' } });
    expect(on.body.data.status).toBe('ACTIVE');
  });

  it('records a down agent as failing instead of failing the request', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'Down',
      endpointUrl: await downUrl(),
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.health).toMatchObject({
      status: 'failing',
      // Refused at once: a probe that waited out its timeout would say 'timeout'.
      lastError: { code: 'unreachable' },
    });
    expect(res.body.data.capabilities).toBeNull();
  });

  it('refreshes, removes, and frees the sourceId', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await addSource(seller.key, {
      name: 'r',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    const refreshed = await h.call('POST', `${base}/r/refresh`, { key: seller.key });
    expect(refreshed.status).toBe(200);
    const dup = await addSource(seller.key, {
      name: 'r',
      sourceId: 'r',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    expect(dup.status).toBe(409);
    expect((await h.call('DELETE', `${base}/r`, { key: seller.key })).status).toBe(200);
    expect((await h.call('GET', `${base}/r`, { key: seller.key })).status).toBe(404);
    const again = await addSource(seller.key, {
      name: 'r',
      sourceId: 'r',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    expect(again.status).toBe(201);
  });

  it('connects an agent behind HTTP Basic, the password sealed and never shown', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const wrong = await addSource(seller.key, {
      name: 'Basic agent',
      endpointUrl: basic.url,
      authenticationType: 'BASIC_AUTH',
      auth: { type: 'basic', username: basicAuth.username, password: 'not-the-password' },
    });
    expect(wrong.status).toBe(201);
    expect(wrong.body.data.health.lastError.code).toBe('unauthorized');

    const fixed = await h.call('PUT', `${base}/basic-agent`, {
      key: seller.key,
      body: { auth: { type: 'basic', ...basicAuth }, status: 'ACTIVE' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.data).toMatchObject({
      status: 'ACTIVE',
      authenticationType: 'BASIC_AUTH',
      authConfigured: true,
      health: { status: 'healthy' },
      capabilities: { products: 'supported' },
    });
    expect(fixed.text).not.toContain(basicAuth.password);

    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row check
      `select auth_sealed from inventory_sources where source_id = 'basic-agent'` as any,
    )) as { rows: { auth_sealed: string }[] };
    expect(rows[0]?.auth_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(basicAuth.password);
    const encoded = Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64');
    expect(h.rawLogs()).not.toContain(basicAuth.password);
    expect(h.rawLogs()).not.toContain(encoded);

    const mismatch = await addSource(seller.key, {
      name: 'Mismatch',
      endpointUrl: basic.url,
      authenticationType: 'BASIC_AUTH',
      auth: { type: 'bearer', token: 'x' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.field).toBe('auth.type');
  });

  it('takes NO_AUTH with auth: {} as hosted clients send it', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'Open',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
      auth: {},
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ authConfigured: false, health: { status: 'healthy' } });
  });

  it('creates a draft from a name alone, which cannot go ACTIVE until it has an endpoint', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const draft = await addSource(seller.key, { name: 'Later Agent' });
    expect(draft.status).toBe(201);
    expect(draft.body.data).toMatchObject({
      sourceId: 'later-agent',
      draft: true,
      endpointUrl: null,
      agentId: null,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
      status: 'PENDING',
      health: { status: 'unknown' },
    });
    const refused = await h.call('PUT', `${base}/later-agent`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('endpointUrl');

    const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    const flagged = readiness.body.data.checks.find(
      (c: { id: string }) => c.id === 'draft_sources',
    );
    expect(flagged).toMatchObject({ status: 'partial', isBlocker: false });
    expect(flagged.details).toContain('later-agent');
    expect(readiness.body.data.sourceDiagnostics[0]).toMatchObject({
      sourceId: 'later-agent',
      endpointUrl: null,
      agentId: null,
    });

    const connected = await h.call('PUT', `${base}/later-agent`, {
      key: seller.key,
      body: { endpointUrl: mcp.url, status: 'ACTIVE' },
    });
    expect(connected.status).toBe(200);
    expect(connected.body.data).toMatchObject({
      draft: false,
      status: 'ACTIVE',
      agentId: expect.stringMatching(/^agt_/),
      health: { status: 'healthy' },
    });
  });

  it.each([
    [{ authenticationType: 'API_KEY' }, 'auth'],
    [{ authenticationType: 'NO_AUTH', auth: { type: 'bearer', token: 't' } }, 'auth'],
    [{ authenticationType: 'JWT', auth: { type: 'bearer', token: 't' } }, 'auth.type'],
    [{ authenticationType: 'NO_AUTH', protocol: 'SOAP' }, 'protocol'],
    [{ authenticationType: 'NO_AUTH', endpointUrl: 'ftp://agent.example/mcp' }, 'endpointUrl'],
  ])('rejects %j naming the field', async (override, field) => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await addSource(seller.key, {
      name: 'x',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      ...override,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  describe('security', () => {
    it("answers another seller's source with 404", async () => {
      const owner = await createCustomer(h, { role: 'SELLER' });
      const other = await createCustomer(h, { role: 'SELLER' });
      await addSource(owner.key, {
        name: 'mine',
        endpointUrl: mcp.url,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      });
      for (const [method, url] of [
        ['GET', `${base}/mine`],
        ['PUT', `${base}/mine`],
        ['DELETE', `${base}/mine`],
        ['POST', `${base}/mine/refresh`],
      ] as const) {
        const res = await h.call(method, url, {
          key: other.key,
          body: method === 'PUT' ? { name: 'x' } : undefined,
        });
        expect(res.status, `${method} ${url}`).toBe(404);
      }
      expect((await h.call('GET', base, { key: other.key })).body.data).toEqual([]);
    });

    it('refuses loopback, private and metadata endpoints unless private networks are allowed', async () => {
      const strict = await h.buildApp(
        { INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' },
        { services: true },
      );
      const seller = await createCustomer(h, { role: 'SELLER' });
      for (const endpointUrl of [
        mcp.url,
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.5/mcp',
        'http://[::1]:9/mcp',
        'http://localhost:9/mcp',
      ]) {
        const res = await h.call('POST', base, {
          app: strict,
          key: seller.key,
          body: { name: 'ssrf', endpointUrl, protocol: 'MCP', authenticationType: 'NO_AUTH' },
        });
        expect(res.status, endpointUrl).toBe(400);
        expect(res.body.error.field).toBe('endpointUrl');
      }
      expect((await h.call('GET', base, { key: seller.key })).body.data).toEqual([]);
    });

    it('is seller-only', async () => {
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const res = await h.call('GET', base, { key: buyer.key });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
    });
  });
});
