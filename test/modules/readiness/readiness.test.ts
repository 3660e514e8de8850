import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downUrl, type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

let h: Harness;
let mcp: RunningSeller;
let a2a: RunningSeller;
let bearer: RunningSeller;
let slow: RunningSeller;
const slowStallMs = 25_000;
beforeAll(async () => {
  // Probes give up after 1 s; the slow seller stalls far longer, so a probe that waited for it
  // cannot pass for one that gave up.
  h = await createHarness({ INTERCHANGE_PROBE_TIMEOUT_MS: '1000' });
  [mcp, a2a, bearer, slow] = await Promise.all([
    startSeller('mcp'),
    startSeller('a2a', { protocol: 'A2A' }),
    startSeller('bearer'),
    startSeller('slow', { delayMs: slowStallMs }),
  ]);
});
afterAll(async () => {
  await Promise.all([mcp, a2a, bearer, slow].map((s) => s?.close()));
  await h.close();
});

const sources = '/api/v2/storefront/inventory-sources';
type Check = { id: string; status: string; isBlocker: boolean };
const check = (body: { data: { checks: Check[] } }, id: string) =>
  body.data.checks.find((c) => c.id === id);

describe('readiness', () => {
  it('starts blocked on sources, agents and currency, with nothing to diagnose', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'blocked', sourceDiagnostics: [] });
    expect(res.body.data.platformId).toMatch(/^[a-z0-9-]+$/);
    for (const id of ['inventory_sources', 'agent_status', 'agent_auth', 'currency_confirmed']) {
      expect(check(res.body, id), id).toMatchObject({ isBlocker: true, status: 'missing' });
    }
    expect(check(res.body, 'operating_instructions')).toMatchObject({ isBlocker: false });
  });

  it('turns ready with an ACTIVE answering source and a confirmed currency, and then can go live', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('POST', sources, {
      key: seller.key,
      body: { name: 'Demo', endpointUrl: mcp.url, protocol: 'MCP', authenticationType: 'NO_AUTH' },
    });
    const partial = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(check(partial.body, 'inventory_sources')?.status).toBe('partial');

    await h.call('PUT', `${sources}/demo`, { key: seller.key, body: { status: 'ACTIVE' } });
    const noCurrency = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(noCurrency.body.data.status).toBe('blocked');
    expect(check(noCurrency.body, 'currency_confirmed')?.status).toBe('missing');

    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD' },
    });
    const ready = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(ready.body.data.status).toBe('ready');
    const diag = ready.body.data.sourceDiagnostics[0];
    expect(diag).toMatchObject({
      sourceId: 'demo',
      sourceStatus: 'ACTIVE',
      // Hosted: agentStatus projects sourceStatus; the probe verdict is health.status.
      agentStatus: 'ACTIVE',
      health: { status: 'healthy' },
      auth: { required: false, configured: false, type: 'NO_AUTH' },
      capabilities: { products: 'supported', createMediaBuy: 'supported' },
      debug: { syntheticCapabilities: false, publisherDomains: ['demo-publisher.example'] },
      lastActivity: { action: 'PROBE', outcome: 'succeeded' },
    });
    expect(ready.body.data.setupMode).toMatchObject({
      current: 'composition',
      recommendation: 'passthrough',
    });

    // Ready but not live: buyers outside the organisation cannot transact yet.
    expect(ready.body.data).toMatchObject({
      isPaused: false,
      canTransact: false,
      effectiveStatus: 'blocked',
      blockerIds: ['activation'],
      phase: 'walk',
      diagnoses: [],
    });

    const live = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
    expect(live.status).toBe(200);
    expect(live.body.data).toMatchObject({
      status: 'TRANSACTING',
      displayStatus: 'transacting',
      transacting: true,
    });
    const running = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(running.body.data).toMatchObject({
      canTransact: true,
      effectiveStatus: 'live',
      blockerIds: [],
      phase: 'run',
    });
  });

  it('lets a storefront go live on a source activated a moment ago on another instance', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('POST', sources, {
      key: seller.key,
      body: { name: 'Demo', endpointUrl: mcp.url, protocol: 'MCP', authenticationType: 'NO_AUTH' },
    });
    const storefront = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD' },
    });
    const storefrontId = storefront.body.data.id as number;
    // This instance's read cache holds the source as PENDING (a storefront agent call read it);
    // another instance then activates it, and its cache notification has not arrived here yet.
    const cached = await h.services.inventorySources.cachedRowsOf(storefrontId);
    expect(cached.map((s) => s.status)).toEqual(['PENDING']);
    await h.database.db.execute(
      sql`update inventory_sources set status = 'ACTIVE'
          where storefront_id = ${storefrontId} and source_id = 'demo'`,
    );

    const live = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
    expect(live.status, live.text).toBe(200);
    expect(live.body.data).toMatchObject({ status: 'TRANSACTING', transacting: true });
  });

  it('reports publisher domains, demand coverage and phase from what is configured', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        publisherDomain: 'demo-publisher.example',
        businessProfile: { publisherDomains: ['demo-publisher.example', 'other.example'] },
        acceptedCountries: ['FR'],
      },
    });
    const empty = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(empty.body.data).toMatchObject({
      phase: 'crawl',
      demandCoverage: {
        markets: ['FR'],
        missingDimensions: ['category', 'channel', 'inventory'],
        eligibleCombinations: 0,
      },
    });
    await h.call('POST', sources, {
      key: seller.key,
      body: { name: 'Demo', endpointUrl: mcp.url, authenticationType: 'NO_AUTH' },
    });
    await h.call('PUT', `${sources}/demo`, { key: seller.key, body: { status: 'ACTIVE' } });
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(res.body.data.phase).toBe('walk');
    expect(res.body.data.publisherDomains).toEqual([
      expect.objectContaining({
        publisherDomain: 'demo-publisher.example',
        // Not read yet: no job queue runs here (test/modules/publisher-authorization reads them).
        status: 'pending',
        adagentsStatus: 'pending',
        declaredBySources: ['demo'],
      }),
      expect.objectContaining({ publisherDomain: 'other.example', declaredBySources: [] }),
    ]);
    expect(res.body.data.demandCoverage.missingDimensions).not.toContain('inventory');
    // The storefront profile shows what its ACTIVE source declared.
    const profile = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(profile.body.data).toMatchObject({
      advertisedCountries: ['US'],
      advertisedChannels: expect.arrayContaining(['display']),
      capabilities: { offersProductComposition: true },
      discoveryCard: {
        countries: ['FR'],
        coverageDeclarations: [expect.objectContaining({ countries: ['US'] })],
        provenance: { coverage: { channels: 'upstream_capabilities', countries: 'operator' } },
      },
    });
  });

  it('reports every kind of source truthfully, and no request waits past the probe timeout', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const add = (body: Record<string, unknown>) =>
      h.call('POST', sources, { key: seller.key, body });
    await add({
      name: 'mcp',
      endpointUrl: mcp.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await add({
      name: 'a2a',
      endpointUrl: a2a.url,
      protocol: 'A2A',
      authenticationType: 'NO_AUTH',
    });
    await add({
      name: 'bearer',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: bearer.token },
    });
    await add({
      name: 'down',
      endpointUrl: await downUrl(),
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    const started = Date.now();
    const slowRes = await add({
      name: 'slow',
      endpointUrl: slow.url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    expect(Date.now() - started).toBeLessThan(slowStallMs);
    expect(slowRes.body.data.health.lastError.code).toBe('timeout');

    // Readiness reads the recorded probes: it asks none of the sellers anything.
    const asked = () => [mcp, a2a, bearer].map((s) => s.mcpMethods().length);
    const before = asked();
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(asked()).toEqual(before);
    const bySource = Object.fromEntries(
      res.body.data.sourceDiagnostics.map((d: { sourceId: string }) => [d.sourceId, d]),
    );
    expect(bySource.mcp).toMatchObject({ health: { status: 'healthy' }, protocol: 'MCP' });
    expect(bySource.a2a).toMatchObject({ health: { status: 'healthy' }, protocol: 'A2A' });
    expect(bySource.bearer).toMatchObject({
      agentStatus: 'PENDING',
      health: { status: 'healthy' },
      auth: { required: true, configured: true, type: 'API_KEY' },
    });
    expect(bySource.down).toMatchObject({
      health: { status: 'failing', lastError: { code: 'unreachable' } },
      capabilities: { products: 'unknown', createMediaBuy: 'unknown' },
    });
    expect(bySource.slow).toMatchObject({
      health: { status: 'failing', lastError: { code: 'timeout' } },
      capabilities: { products: 'unknown' },
    });
    expect(JSON.stringify(res.body)).not.toContain(bearer.token as string);
  });

  it('blocks on agent_status when an ACTIVE source stops answering', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const flaky = await startSeller('mcp');
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'EUR' },
    });
    await h.call('POST', sources, {
      key: seller.key,
      body: {
        name: 'flaky',
        endpointUrl: flaky.url,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      },
    });
    await h.call('PUT', `${sources}/flaky`, { key: seller.key, body: { status: 'ACTIVE' } });
    expect(
      (await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key })).body.data.status,
    ).toBe('ready');
    await flaky.close();
    await h.call('POST', `${sources}/flaky/refresh`, { key: seller.key });
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(res.body.data.status).toBe('blocked');
    expect(check(res.body, 'agent_status')?.status).toBe('missing');
    expect(res.body.data.diagnoses).toEqual([
      expect.objectContaining({
        diagnosisId: 'flaky:source_unreachable',
        sourceId: 'flaky',
        failureMode: 'source_unreachable',
        owner: 'seller',
        severity: 'blocking',
        action: expect.objectContaining({
          kind: 'recheck',
          operation: 'refresh_esa',
          path: '/api/v2/storefront/inventory-sources/flaky/refresh',
        }),
      }),
    ]);
    expect(res.body.data.sourceDiagnostics[0]).toMatchObject({
      agentStatus: 'ACTIVE',
      health: { status: 'failing' },
    });
  });
});
