import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import { type Publishers, startPublishers } from '../../fixtures/publishers.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { metaEnv } from '../provider-adapters/support.js';
import { type ConsoleBrowser, openConsoleBrowser } from '../../web/console-browser.js';

/*
 * One storefront with a source of every kind, connected or not: an AdCP agent, a modular source,
 * Ad Manager (connected), SpringServe (connected), FreeWheel (credentials refused), Meta (never
 * connected) and a linked storefront. The seller lists them, views each, reads readiness,
 * re-checks publisher domains and opens the console's home, sources and storefront pages: every
 * one answers, and describes every source.
 */

let h: Harness;
let base: string;
let gam: FakeGam;
let fw: FakeFreeWheel;
let ss: FakeSpringServe;
let meta: FakeMeta;
let agent: RunningSeller;
let publishers: Publishers;
let seller: TestCustomer;
let b: ConsoleBrowser;
const networkCode = '21700042';
const sources = '/api/v2/storefront/inventory-sources';

const kinds: Record<string, string> = {
  agent: 'AGENT',
  avails: 'MODULAR_SOURCE',
  gam: 'MANAGED_SALES_AGENT',
  springserve: 'MANAGED_SALES_AGENT',
  fw: 'MANAGED_SALES_AGENT',
  meta: 'PROVIDER_ADAPTER',
  linked: 'LINKED_STOREFRONT',
};

async function expectOk(res: { status: number; text: string }, status = 200) {
  expect(res.status, res.text).toBe(status);
}

beforeAll(async () => {
  [gam, fw, ss, meta, agent, publishers] = await Promise.all([
    startFakeGam({ networkCode, adUnits: 4 }),
    startFakeFreeWheel({ siteSections: 4 }),
    startFakeSpringServe({ supplyTags: 4 }),
    startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' }),
    startSeller('mcp'),
    startPublishers(),
  ]);
  h = await createHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_SPRINGSERVE_URL: ss.url,
    INTERCHANGE_ADAGENTS_URL: publishers.template,
    ...metaEnv(meta),
  });
  base = await listen(h);
  h.services.trustOwnOrigin(base);

  const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: agent.url }]);
  seller = await createCustomer(h, { role: 'SELLER', name: 'Every Kind Media' });
  await expectOk(
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'manual', creativeApproval: 'auto' },
    }),
  );
  const add = (body: Record<string, unknown>) => h.call('POST', sources, { key: seller.key, body });
  await expectOk(await add({ name: 'Agent', sourceId: 'agent', endpointUrl: agent.url }), 201);
  await expectOk(
    await h.call('PUT', `${sources}/agent`, { key: seller.key, body: { status: 'ACTIVE' } }),
  );
  await expectOk(
    await h.call('POST', `${sources}/modular/feed`, {
      key: seller.key,
      body: { name: 'Print avails', sourceId: 'avails' },
    }),
    201,
  );
  const adServer = (sourceId: string, body: Record<string, unknown>) =>
    h.call('PUT', `${sources}/${sourceId}/ad-server`, { key: seller.key, body });
  await expectOk(
    await adServer('gam', {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
    }),
  );
  await expectOk(
    await adServer('springserve', {
      type: 'springserve',
      email: 'ops+api@sportsnews.example',
      password: 'correct horse battery',
      name: 'Our SpringServe',
    }),
  );
  // Saved, but FreeWheel refuses the secret: the source exists and is not connected.
  const refused = await adServer('fw', {
    type: 'freewheel',
    clientId: 'interchange-client',
    clientSecret: 'not-the-secret',
    name: 'Our FreeWheel',
  });
  await expectOk(refused);
  expect(refused.body.data.provisioningStatus).toBe('failed');
  await expectOk(
    await add({
      name: 'Linked',
      sourceId: 'linked',
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: `${base}/adcp/storefront-${upstream.platformId}/mcp`,
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: seller.key },
    }),
    201,
  );
  await expectOk(
    await h.call('POST', `${sources}/adapter`, {
      key: seller.key,
      body: { provider: 'meta', name: 'Meta Ads', sourceId: 'meta' },
    }),
    201,
  );
  b = await openConsoleBrowser('every-kind', { width: 1280, height: 900 });
}, 180_000);

afterAll(async () => {
  await b?.close();
  await h?.close();
  await Promise.all([gam, fw, ss, meta, agent, publishers].map((f) => f?.close()));
});

type Listed = {
  sourceId: string;
  executionType: string;
  capabilities: Record<string, unknown> | null;
};

describe('a storefront with a source of every kind', () => {
  it('lists and shows every source, each capabilities object whole', async () => {
    const list = await h.call('GET', sources, { key: seller.key });
    await expectOk(list);
    const items = list.body.data as Listed[];
    expect(Object.fromEntries(items.map((s) => [s.sourceId, s.executionType]))).toEqual(kinds);
    for (const source of items) {
      if (source.capabilities === null) continue;
      expect(source.capabilities, source.sourceId).toMatchObject({
        syntheticManifest: expect.any(Boolean),
        tools: expect.any(Array),
        publisherDomains: expect.any(Array),
        channels: expect.any(Array),
      });
      expect(source.capabilities, source.sourceId).toHaveProperty('adcpVersion');
      expect(source.capabilities, source.sourceId).toHaveProperty('agentName');
    }
    // The sources Interchange serves itself say what they offer, as a probe would.
    for (const id of ['avails', 'gam', 'springserve', 'meta']) {
      expect(items.find((s) => s.sourceId === id)?.capabilities, id).not.toBeNull();
    }
    for (const id of Object.keys(kinds)) {
      const one = await h.call('GET', `${sources}/${id}`, { key: seller.key });
      await expectOk(one);
      expect(one.body.data).toMatchObject({ sourceId: id, executionType: kinds[id] });
    }
  });

  it('reads a source whose capabilities an older release stored incomplete', async () => {
    // What a release before this fix wrote for every ad-server source it saved.
    await h.database.db.execute(sql`
      update inventory_sources
         set capabilities = '{"tools":["get_products","create_media_buy"],"channels":["display"]}'
       where source_id = 'springserve' and deleted_at is null
         and storefront_id = (select storefront_id from inventory_sources
                               where source_id = 'gam' and deleted_at is null
                               order by id desc limit 1)`);
    const one = await h.call('GET', `${sources}/springserve`, { key: seller.key });
    await expectOk(one);
    expect(one.body.data.capabilities).toMatchObject({
      syntheticManifest: false,
      adcpVersion: null,
      agentName: null,
      tools: ['get_products', 'create_media_buy'],
      products: 'unknown',
      publisherDomains: [],
      creativeHasCreativeLibrary: null,
    });
    await expectOk(await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key }));
    await expectOk(
      await h.call('POST', '/api/v2/storefront/readiness/publisher-domains/refresh', {
        key: seller.key,
      }),
    );
    // The next report of the source writes it whole again.
    await expectOk(
      await h.call('POST', `${sources}/springserve/test-connection`, { key: seller.key }),
    );
    const again = await h.call('GET', `${sources}/springserve`, { key: seller.key });
    expect(again.body.data.capabilities).toMatchObject({
      agentName: 'Our SpringServe',
      products: 'supported',
    });
  });

  it('reads readiness with a diagnostic of every source, and re-checks publisher domains', async () => {
    const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    await expectOk(readiness);
    const diagnostics = readiness.body.data.sourceDiagnostics as Array<{ sourceId: string }>;
    expect(diagnostics.map((d) => d.sourceId).sort()).toEqual(Object.keys(kinds).sort());

    const refreshed = await h.call(
      'POST',
      '/api/v2/storefront/readiness/publisher-domains/refresh',
      {
        key: seller.key,
      },
    );
    await expectOk(refreshed);
    const again = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    await expectOk(again);
    const domains = (again.body.data.publisherDomains as Array<{ publisherDomain: string }>).map(
      (d) => d.publisherDomain,
    );
    // Ad Manager's configured domain is one the storefront sells.
    expect(domains).toContain('sportsnews.example');
  });

  it('renders the console home, sources and storefront pages naming every source', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    for (const [path, heading] of [
      ['/console', 'Readiness'],
      ['/console/sources', 'Inventory sources'],
      ['/console/storefront', 'Storefront'],
    ] as const) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(await page.textContent('h1'), path).toBe(heading);
    }
    await page.goto(`${base}/console/sources`);
    const text = (await page.textContent('main')) ?? '';
    for (const name of [
      'Agent',
      'Print avails',
      'Our Ad Manager',
      'Our SpringServe',
      'Our FreeWheel',
      'Meta Ads',
      'Linked',
    ]) {
      expect(text, name).toContain(name);
    }
    await b.shot('sources');
  });
});
