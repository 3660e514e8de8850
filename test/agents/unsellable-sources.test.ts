import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../src/sandbox/fakes/freewheel/server.js';
import { startFakeMeta, type FakeMeta } from '../../src/sandbox/fakes/meta/server.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { settledSync, sportsProduct } from '../modules/ad-servers/support.js';
import { availRow, commitCsv, header } from '../modules/modular-sources/support.js';
import { connectMeta, metaEnv } from '../modules/provider-adapters/support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/*
 * Readiness and selling agree, over MCP with the official client: a storefront sells from a
 * spreadsheet, FreeWheel and Meta; then FreeWheel refuses the credentials and the Meta account is
 * disconnected. Readiness says those two cannot transact and the spreadsheet can; get_products
 * offers the spreadsheet's products only, a buy naming a FreeWheel or Meta product is refused
 * with PRODUCT_UNAVAILABLE naming the source (and never recorded), and a buy of the
 * spreadsheet's product goes through.
 */

let h: Harness;
let base: string;
let fw: FakeFreeWheel;
let meta: FakeMeta;
let seller: TestCustomer;
let platformId: string;
const sources = '/api/v2/storefront/inventory-sources';

beforeAll(async () => {
  [fw, meta] = await Promise.all([
    startFakeFreeWheel({ siteSections: 4 }),
    startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' }),
  ]);
  h = await createHarness({ INTERCHANGE_FREEWHEEL_URL: fw.url, ...metaEnv(meta) });
  await h.services.jobs.start();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];

  seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  platformId = sf.body.data.platformId;
  const modular = await h.call('POST', `${sources}/modular/feed`, {
    key: seller.key,
    body: { name: 'Print avails', sourceId: 'avails' },
  });
  expect(modular.status, modular.text).toBe(201);
  await commitCsv(h, seller.key, 'avails', `${header}\n${availRow('home1', 100_000)}`);
  const saved = await h.call('PUT', `${sources}/fw/ad-server`, {
    key: seller.key,
    body: {
      type: 'freewheel',
      clientId: 'interchange-client',
      clientSecret: 'fw-client-secret',
      executionCurrency: 'USD',
      products: [{ ...sportsProduct, keyValues: {} }],
    },
  });
  expect(saved.body.data?.provisioningStatus, saved.text).toBe('active');
  expect((await settledSync(h, seller.key, 'fw')).status).toBe('completed');
  const created = await h.call('POST', `${sources}/adapter`, {
    key: seller.key,
    body: { provider: 'meta', name: 'Meta Ads', sourceId: 'meta' },
  });
  expect(created.status, created.text).toBe(201);
  await connectMeta(h, seller.key);
  const live = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  expect(live.status, live.text).toBe(200);
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([fw, meta].map((f) => f?.close()));
});

type Product = { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };

const ask = (agent: Awaited<ReturnType<typeof agentClient>>) =>
  agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'sports video, homepage display and instagram stories',
    brand: { domain: 'acmeoutdoor.example' },
  });

const buy = (agent: Awaited<ReturnType<typeof agentClient>>, product: Product) =>
  agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' },
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget: 1_500,
        bid_price: 8.5,
      },
    ],
  });

const bySource = (products: Product[]) => new Set(products.map((p) => p.product_id.split('__')[0]));

const sellerBuys = async () =>
  (await h.call('GET', '/api/v2/storefront/media-buys', { key: seller.key })).body.data.items
    .length as number;

describe('a source readiness says cannot transact', () => {
  it('is not offered and takes no buy, while the source that can transact sells', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const before = await ask(agent);
      expect(before.isError, JSON.stringify(before)).toBe(false);
      expect(bySource(before.products)).toEqual(new Set(['avails', 'fw', 'meta']));
      const fwProduct = before.products.find((p: Product) => p.product_id.startsWith('fw__'));
      const metaProduct = before.products.find((p: Product) => p.product_id.startsWith('meta__'));
      const availsProduct = before.products.find((p: Product) =>
        p.product_id.startsWith('avails__'),
      );

      // FreeWheel stops honouring the secret; the operator disconnects the Meta account.
      fw.clients.set('interchange-client', { secret: 'rotated-at-freewheel' });
      fw.expireTokens();
      const tested = await h.call('POST', `${sources}/fw/test-connection`, { key: seller.key });
      expect(tested.body.data?.success, tested.text).toBe(false);
      const cut = await h.call('DELETE', `${sources}/meta/adapter/connection`, {
        key: seller.key,
      });
      expect(cut.status, cut.text).toBe(200);

      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
      expect(readiness.status, readiness.text).toBe(200);
      const diag = Object.fromEntries(
        (
          readiness.body.data.sourceDiagnostics as Array<{
            sourceId: string;
            canTransact: boolean;
            cannotTransact: { code: string; message: string } | null;
          }>
        ).map((d) => [d.sourceId, d]),
      );
      expect(diag.avails).toMatchObject({ canTransact: true, cannotTransact: null });
      expect(diag.fw).toMatchObject({ canTransact: false });
      expect(diag.meta).toMatchObject({ canTransact: false });
      expect(diag.meta!.cannotTransact!.message).toMatch(/disconnected|not connected/);
      // The storefront still sells the source that can: it is not held back by the others.
      expect(readiness.body.data.canTransact, readiness.text).toBe(true);

      const after = await ask(agent);
      expect(after.isError, JSON.stringify(after)).toBe(false);
      expect(bySource(after.products)).toEqual(new Set(['avails']));

      const recorded = await sellerBuys();
      for (const [product, sourceId] of [
        [fwProduct, 'fw'],
        [metaProduct, 'meta'],
      ] as const) {
        const refused = await buy(agent, product);
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(refused.adcp_error).toMatchObject({
          code: 'PRODUCT_UNAVAILABLE',
          field: 'product_id',
        });
        expect(refused.adcp_error.message).toContain(sourceId);
      }
      expect(await sellerBuys()).toBe(recorded);

      const booked = await buy(agent, availsProduct);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      expect(booked.media_buy_id).toBeTruthy();
    } finally {
      await agent.close();
    }
  });
});
