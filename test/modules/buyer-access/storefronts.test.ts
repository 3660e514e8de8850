import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { startTokenEndpoint, type TokenEndpoint } from '../../fixtures/token-endpoint.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
let open: RunningSeller;
let bearer: RunningSeller;
let tokens: TokenEndpoint;
beforeAll(async () => {
  h = await createHarness();
  [open, bearer] = await Promise.all([startSeller('mcp'), startSeller('bearer')]);
  tokens = await startTokenEndpoint(bearer.token as string);
});
afterAll(async () => {
  await Promise.all([open?.close(), bearer?.close(), tokens?.close()]);
  await h.close();
});

const base = '/api/v2/buyer/storefronts';

/** A seller whose storefront has an open source and one that needs buyer credentials. */
async function storefront(options: { name?: string; list?: boolean; channels?: string[] } = {}) {
  const seller = await createCustomer(h, {
    role: 'SELLER',
    ...(options.name && { name: options.name }),
  });
  const sf = (
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { channels: options.channels ?? ['ctv'], regions: ['NORAM'], defaultCurrency: 'USD' },
    })
  ).body.data;
  const add = async (body: Record<string, unknown>) => {
    await h.call('POST', '/api/v2/storefront/inventory-sources', { key: seller.key, body });
    await h.call('PUT', `/api/v2/storefront/inventory-sources/${body.sourceId}`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
  };
  await add({
    name: 'Open',
    sourceId: 'open',
    endpointUrl: open.url,
    protocol: 'MCP',
    authenticationType: 'NO_AUTH',
  });
  await add({
    name: 'Premium',
    sourceId: 'premium',
    endpointUrl: bearer.url,
    protocol: 'MCP',
    authenticationType: 'API_KEY',
    requiresCredentials: true,
  });
  if (options.list !== false) {
    await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
  }
  return { seller, id: sf.id as number, name: sf.name as string };
}

describe('browsing storefronts', () => {
  it('lists listed storefronts with source counts, filters, and pages', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const tag = `Zeta${Date.now()}`;
    const a = await storefront({ name: `${tag} One`, channels: ['ctv'] });
    const b = await storefront({ name: `${tag} Two`, channels: ['display'] });
    await storefront({ name: `${tag} Hidden`, list: false });
    const res = await h.call('GET', `${base}?name=${tag.toLowerCase()}&limit=1`, {
      key: buyer.key,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 2, hasMore: true, nextOffset: 1 });
    expect(res.body.data.items[0]).toEqual({
      id: a.id,
      platformId: expect.any(String),
      name: `${tag} One`,
      publisherDomain: expect.any(String),
      brandName: null,
      logoUrl: null,
      logoBackground: null,
      description: null,
      website: expect.any(String),
      brandColors: null,
      discoveryCard: expect.objectContaining({ storefrontId: String(a.id), channels: ['ctv'] }),
      displayStatus: 'configuring',
      channels: ['ctv'],
      regions: ['NORAM'],
      supportedCampaignTypes: ['DECISIONED'],
      supportedRoutingTypes: ['DECISIONED', 'ROUTED'],
      adapterProviderType: null,
      adapterSourceKind: null,
      adapterConnection: null,
      creativeCapabilities: null,
      sourceCount: 2,
      connectedSourceCount: 1,
    });
    const page2 = await h.call('GET', `${base}?name=${tag}&offset=1`, { key: buyer.key });
    expect(page2.body.data.items.map((s: { id: number }) => s.id)).toEqual([b.id]);
    const ctv = await h.call('GET', `${base}?name=${tag}&channel=display`, { key: buyer.key });
    expect(ctv.body.data.items.map((s: { id: number }) => s.id)).toEqual([b.id]);
    expect((await h.call('GET', `${base}?limit=51`, { key: buyer.key })).status).toBe(400);
  });

  it('shows a storefront with its sources, and connects a source with a working API key', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const before = await h.call('GET', `${base}/${sf.id}`, { key: buyer.key });
    expect(before.body.data.sources).toEqual([
      expect.objectContaining({
        sourceId: 'open',
        requiresCredentials: false,
        connected: true,
        customerAccounts: [],
      }),
      expect.objectContaining({
        sourceId: 'premium',
        requiresCredentials: true,
        connected: false,
        customerAccounts: [],
      }),
    ]);

    const ask = await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key: buyer.key,
    });
    expect(ask.status).toBe(400);
    expect(ask.body.error.details.supportedAuthTypes).toEqual(['api_key']);

    const refused = await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key: buyer.key,
      body: { accountIdentifier: 'acme', auth: { type: 'api_key', token: 'wrong-token-123' } },
    });
    expect(refused.status).toBe(201);
    expect(refused.body.data).toMatchObject({
      status: 'INVALID',
      statusReason: expect.stringMatching(/refused/),
    });
    const still = await h.call('GET', `${base}/${sf.id}`, { key: buyer.key });
    expect(still.body.data.sources[1]).toMatchObject({
      connected: false,
      customerAccounts: [{ accountIdentifier: 'acme', status: 'INVALID' }],
    });

    const ok = await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key: buyer.key,
      body: { accountIdentifier: 'acme', auth: { type: 'bearer', token: bearer.token } },
    });
    expect(ok.body.data).toMatchObject({
      id: refused.body.data.id,
      status: 'ACTIVE',
      accountType: 'CLIENT',
    });
    expect(ok.text).not.toContain(bearer.token as string);
    const after = await h.call('GET', `${base}/${sf.id}`, { key: buyer.key });
    expect(after.body.data.sources[1]).toMatchObject({
      connected: true,
      customerAccounts: [{ accountIdentifier: 'acme', status: 'ACTIVE' }],
    });
    expect(before.body.data).toMatchObject({ connected: false, requiresCredentials: true });
    expect(after.body.data).toMatchObject({
      connected: true,
      requiresCredentials: true,
      customerAccounts: [{ accountIdentifier: 'acme', status: 'ACTIVE' }],
    });
    const list = await h.call('GET', base + `?name=${encodeURIComponent(sf.name)}`, {
      key: buyer.key,
    });
    expect(list.body.data.items[0].connectedSourceCount).toBe(2);
  });

  it('shows storefront-level readiness, capabilities, brand and demand contact (hosted fields)', async () => {
    const sf = await storefront();
    await h.call('PUT', '/api/v2/storefront', {
      key: sf.seller.key,
      body: {
        brandName: 'Acme Pub',
        logoBackground: 'dark-bg',
        demandContactName: 'Dana',
        demandContactEmail: 'dana@pub.example',
      },
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('GET', `${base}/${sf.id}`, { key: buyer.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      brandName: 'Acme Pub',
      logoBackground: 'dark-bg',
      demandContact: { name: 'Dana', email: 'dana@pub.example' },
      readiness: {
        canTransact: false,
        effectiveStatus: 'blocked',
        // Not live yet (and the credentialed source refuses the operator's anonymous probe).
        blockerIds: expect.arrayContaining(['activation']),
      },
      adcpCapabilities: {
        supportsCreateMediaBuy: true,
        supportsSandbox: true,
        publisherDomains: ['demo-publisher.example'],
        capabilitiesCachedAt: expect.any(String),
      },
      discoveryCard: { displayName: 'Acme Pub', logoBackground: 'dark-bg' },
      discoveryPerformance: {
        sampleCount: 0,
        successCount: 0,
        avgResponseTimeMs: null,
        lastDiscoveryAt: null,
      },
    });

    const caps = await h.call('GET', `${base}/${sf.id}/capabilities`, { key: buyer.key });
    expect(caps.status).toBe(200);
    expect(caps.body.data.storefrontId).toBe(sf.id);
    expect(caps.body.data.agents).toEqual([
      expect.objectContaining({
        sourceId: 'open',
        probeStatus: 'reachable',
        requiresCredentials: false,
        capabilities: expect.objectContaining({ tools: expect.arrayContaining(['get_products']) }),
      }),
      expect.objectContaining({ sourceId: 'premium', requiresCredentials: true }),
    ]);
    expect(caps.text).not.toContain(open.url);
  });

  it('filters the list by publisher domain (and subdomains) and by paused / neutral status', async () => {
    const tag = `Pub${Date.now()}`;
    const covered = await storefront({ name: `${tag} Covered` });
    await h.call('PUT', '/api/v2/storefront', {
      key: covered.seller.key,
      body: { businessProfile: { publisherDomains: [`news.${tag.toLowerCase()}.example`] } },
    });
    const paused = await storefront({ name: `${tag} Paused` });
    await h.call('PUT', '/api/v2/storefront', {
      key: paused.seller.key,
      body: { isPaused: true, acceptedCountries: ['FR'] },
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const ids = async (query: string) =>
      (await h.call('GET', `${base}?name=${tag}&${query}`, { key: buyer.key })).body.data.items.map(
        (s: { id: number }) => s.id,
      );
    expect(await ids(`publisherDomain=${tag.toLowerCase()}.example`)).toEqual([covered.id]);
    expect(await ids(`publisherDomain=news.${tag.toLowerCase()}.example`)).toEqual([covered.id]);
    expect(await ids(`publisherDomain=other.example`)).toEqual([]);
    expect(await ids('status=paused')).toEqual([paused.id]);
    expect(await ids('status=neutral')).toEqual([covered.id]);
    expect(await ids('status=configuring')).toEqual([covered.id]);
    expect(await ids('region=FR')).toEqual([paused.id]);
    const list = await h.call('GET', `${base}?name=${tag}&status=paused`, { key: buyer.key });
    expect(list.body.data.items[0].displayStatus).toBe('paused');
    const bad = await h.call('GET', `${base}?publisherDomain=not a domain`, { key: buyer.key });
    expect(bad.status).toBe(400);
  });

  it('mints JWT access tokens for a JWT credential', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
    await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name: 'jwt',
        sourceId: 'jwt',
        endpointUrl: bearer.url,
        protocol: 'MCP',
        authenticationType: 'JWT',
        requiresCredentials: true,
      },
    });
    await h.call('PUT', '/api/v2/storefront/inventory-sources/jwt', {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', `${base}/${sf.id}/sources/jwt/credentials`, {
      key: buyer.key,
      body: {
        accountIdentifier: 'jwt-account',
        auth: {
          type: 'jwt',
          privateKey: tokens.privateKeyPem,
          issuer: tokens.issuer,
          subject: 'buyer',
          keyId: 'k1',
          scope: 'adcp',
          tokenEndpointUrl: tokens.url,
          audienceUrl: tokens.audience,
        },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('ACTIVE');
    expect(res.text).not.toContain('PRIVATE KEY');
  });

  it('lists credentials with the (storefront, source) pairs they cover, across storefronts on one agent', async () => {
    const one = await storefront();
    const two = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await h.call('POST', `${base}/${one.id}/sources/premium/credentials`, {
      key: buyer.key,
      body: { accountIdentifier: 'shared', auth: { type: 'api_key', token: bearer.token } },
    });
    const res = await h.call('GET', `${base}/credentials`, { key: buyer.key });
    expect(res.body.data).toHaveLength(1);
    const pairs = res.body.data[0].sources.map((p: { storefrontId: number; sourceId: string }) => [
      p.storefrontId,
      p.sourceId,
    ]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        [one.id, 'premium'],
        [two.id, 'premium'],
      ]),
    );
    expect(res.body.data[0].registeredBy).toMatch(/@/);
    const sfTwo = await h.call('GET', `${base}/${two.id}`, { key: buyer.key });
    expect(sfTwo.body.data.sources[1].connected).toBe(true);
  });

  it('registers an account linked to an advertiser', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', `${base}/${sf.id}/sources/premium/accounts`, {
      key: buyer.key,
      body: {
        advertiserId: '12345',
        accountIdentifier: 'acme-brand',
        auth: { type: 'api_key', token: bearer.token },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ advertiserId: '12345', status: 'ACTIVE' });
  });

  it('keeps buyer tokens out of logs and out of the database in clear', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key: buyer.key,
      body: { accountIdentifier: 'secret-check', auth: { type: 'api_key', token: bearer.token } },
    });
    expect(h.rawLogs()).not.toContain(bearer.token as string);
    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw dump of the table
      'select * from buyer_credentials' as any,
    )) as { rows: unknown[] };
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(bearer.token as string);
  });

  it('discovers listed storefronts with their lifecycle status, live or upcoming', async () => {
    const sf = await storefront();
    const hidden = await storefront({ list: false });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('GET', `${base}/discover`, { key: buyer.key });
    const ids = res.body.data.items.map((s: { id: number }) => s.id);
    expect(ids).toContain(sf.id);
    expect(ids).not.toContain(hidden.id);
    expect(res.body.data.items.find((s: { id: number }) => s.id === sf.id)).toEqual({
      id: sf.id,
      name: sf.name,
      publisherDomain: expect.any(String),
      status: 'TESTING',
    });
  });

  it('records interest, shows its status, and lets the storefront operator see who asked', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER', name: 'Curious Agency' });
    expect((await h.call('GET', `${base}/interest`, { key: buyer.key })).body.data).toEqual({
      submitted: false,
      submittedAt: null,
    });
    expect((await h.call('POST', `${base}/interest`, { key: buyer.key, body: {} })).status).toBe(
      400,
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    expect(
      (
        await h.call('POST', `${base}/interest`, {
          key: buyer.key,
          body: { storefrontIds: tooMany },
        })
      ).status,
    ).toBe(400);
    const res = await h.call('POST', `${base}/interest`, {
      key: buyer.key,
      body: { storefrontIds: [sf.id], notes: 'Q3 CTV upfronts' },
    });
    expect(res.body.data).toEqual({ submitted: true, submittedAt: expect.any(String) });
    const seen = await h.call('GET', '/api/v2/storefront/interest', { key: sf.seller.key });
    expect(seen.body.data.items).toEqual([
      {
        buyerCustomerId: buyer.id,
        buyerName: 'Curious Agency',
        notes: 'Q3 CTV upfronts',
        submittedAt: res.body.data.submittedAt,
      },
    ]);
  });
});

describe('isolation', () => {
  let a: TestCustomer;
  let b: TestCustomer;
  let sf: Awaited<ReturnType<typeof storefront>>;
  beforeAll(async () => {
    sf = await storefront();
    a = await createCustomer(h, { role: 'BUYER' });
    b = await createCustomer(h, { role: 'BUYER' });
    await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key: a.key,
      body: { accountIdentifier: 'a-only', auth: { type: 'api_key', token: bearer.token } },
    });
    await h.call('POST', `${base}/interest`, { key: a.key, body: { notes: 'a' } });
  });

  it("never shows buyer A's credentials, accounts or interest to buyer B", async () => {
    expect((await h.call('GET', `${base}/credentials`, { key: b.key })).body.data).toEqual([]);
    const view = await h.call('GET', `${base}/${sf.id}`, { key: b.key });
    expect(view.body.data.sources[1]).toMatchObject({ connected: false, customerAccounts: [] });
    expect((await h.call('GET', `${base}/interest`, { key: b.key })).body.data.submitted).toBe(
      false,
    );
  });

  it('hides unlisted, hidden and archived storefronts from strangers (NOT_FOUND) but not from their owners', async () => {
    const pending = await storefront({ list: false });
    const hidden = await storefront();
    await h.call('POST', `/api/v2/admin/storefronts/${hidden.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'hide' },
    });
    for (const target of [pending, hidden]) {
      const res = await h.call('GET', `${base}/${target.id}`, { key: a.key });
      expect(res.status).toBe(404);
      const cred = await h.call('POST', `${base}/${target.id}/sources/premium/credentials`, {
        key: a.key,
      });
      expect(cred.status).toBe(404);
      const caps = await h.call('GET', `${base}/${target.id}/capabilities`, { key: a.key });
      expect(caps.status).toBe(404);
      expect((await h.call('GET', `${base}/${target.id}`, { key: target.seller.key })).status).toBe(
        200,
      );
      const priv = await h.call('GET', `${base}?visibility=private`, { key: target.seller.key });
      expect(priv.body.data.items.map((s: { id: number }) => s.id)).toEqual([target.id]);
    }
    const list = await h.call('GET', `${base}?limit=50&name=${encodeURIComponent(pending.name)}`, {
      key: a.key,
    });
    expect(list.body.data.total).toBe(0);
  });

  it('confines a sponsored buyer to its storefront on every browse path, listed or not', async () => {
    const home = await storefront({ list: false });
    const link = await h.call('POST', '/api/v2/storefront/join-links', {
      key: home.seller.key,
      body: { storefrontId: home.id, approvalPolicy: 'auto_approve' },
    });
    const joined = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
      body: {
        name: 'Sponsored',
        email: `s${Date.now()}@sp.example`,
        brandDomain: 'sp.example',
        acceptTerms: true,
      },
    });
    const key = joined.body.data.apiKey;
    const list = await h.call('GET', `${base}?limit=50`, { key });
    expect(list.body.data.items.map((s: { id: number }) => s.id)).toEqual([home.id]);
    expect(
      (await h.call('GET', `${base}/discover`, { key })).body.data.items.map(
        (s: { id: number }) => s.id,
      ),
    ).toEqual([home.id]);
    expect((await h.call('GET', `${base}/${home.id}`, { key })).status).toBe(200);
    expect((await h.call('GET', `${base}/${sf.id}`, { key })).status).toBe(404);
    const foreign = await h.call('POST', `${base}/${sf.id}/sources/premium/credentials`, {
      key,
      body: { accountIdentifier: 'x', auth: { type: 'api_key', token: bearer.token } },
    });
    expect(foreign.status).toBe(404);
  });

  it('needs a key', async () => {
    for (const url of [
      base,
      `${base}/discover`,
      `${base}/credentials`,
      `${base}/interest`,
      `${base}/${sf.id}`,
    ]) {
      expect((await h.call('GET', url)).status, url).toBe(401);
    }
  });
});
