import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { a2aBuyer } from '../../agents/a2a-buyer.js';
import {
  adServerHarness,
  adServerSeller,
  connectAdServer,
  approveQueued,
  expectRefusedLine,
  expectDeliveryImported,
  bookSports as bookSportsAt,
  sources,
  sportsProduct,
} from './support.js';

/*
 * Google Ad Manager as an inventory source, end to end through a storefront over MCP, with the
 * fake Ad Manager on a real socket: connect, sync, discover, book under the seller's approval,
 * the order and line items (with their key-value targeting and creatives) in the ad server,
 * delivery imported from its report API into the buyer's reporting.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700001';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 120 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

async function connectedSource(products = [sportsProduct], approval: 'manual' | 'auto' = 'manual') {
  const key = gam.serviceAccount([networkCode]);
  const body = {
    type: 'google_ad_manager',
    networkCode,
    name: 'Our Ad Manager',
    publisherDomain: 'sportsnews.example',
    serviceAccountKey: key,
    products,
  };
  return { ...(await connectAdServer(h, 'gam', body, approval)), key };
}

const bookSports = (platformId: string, buyerKey: string) =>
  bookSportsAt(base, platformId, buyerKey, {
    name: 'Banner',
    url: `${gam.url}/cdn/banner.png`,
  });

describe('Google Ad Manager through a storefront', () => {
  it('connects, syncs, sells, books after approval, and reports delivery', async () => {
    const sf = await connectedSource();
    // The connection, never its key.
    expect(sf.saved.body.data).toMatchObject({
      sourceId: 'gam',
      provisioningStatus: 'active',
      adServer: { type: 'google_ad_manager', networkCode },
      serviceAccountEmail: sf.key['client_email'],
      authConfigured: true,
      lastErrorCode: null,
    });
    const esa = await h.call('GET', `${sources}/gam/esa`, { key: sf.seller.key });
    for (const text of [sf.saved.text, esa.text]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(sf.key['private_key']!.slice(40, 80));
    }
    expect(esa.body.data.inventorySync).toMatchObject({
      status: 'completed',
      itemCount: 120 + 2 + 2 + 3 + 1,
    });

    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const ordersBefore = gam.networks.get(networkCode)!.orders.size;
    const { agent, booked } = await bookSports(sf.platformId, buyer.key);
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      // Held for the seller: nothing written to the ad server yet.
      expect(gam.networks.get(networkCode)!.orders.size).toBe(ordersBefore);
      expect(gam.calls.filter((c) => c.method === 'createOrders')).toHaveLength(0);

      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.status, decided.text).toBe(200);
      expect(decided.body.data.forwardOutcome).toBe('all_completed');

      const network = gam.networks.get(networkCode)!;
      const orders = [...network.orders.values()].filter((o) => !o['isArchived']);
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ status: 'APPROVED' });
      const lineItems = [...network.lineItems.values()].filter(
        (li) => li['orderId'] === String(orders[0]!['id']),
      );
      expect(lineItems).toHaveLength(1);
      const li = lineItems[0]!;
      // The product's placement and its key-value targeting reached the line item.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake's parsed XML
      const targeting = li['targeting'] as Record<string, any>;
      expect(targeting.inventoryTargeting.targetedPlacementIds).toEqual(['502']);
      const criteria = targeting.customTargeting.children[0].children[0];
      expect(criteria).toMatchObject({ keyId: '701', valueIds: ['80001'], operator: 'IS' });
      expect(li['costPerUnit']).toMatchObject({ currencyCode: 'USD', microAmount: '12000000' });
      expect(li['primaryGoal']).toMatchObject({ unitType: 'IMPRESSIONS', units: '500000' });
      // The creative was uploaded (its bytes) and associated with the line item.
      const creative = [...network.creatives.values()].at(-1)!;
      expect(creative['$type']).toBe('ImageCreative');
      expect(
        (creative['primaryImageAsset'] as Record<string, string>)['assetByteArray'],
      ).toBeTruthy();
      expect(network.associations).toContainEqual(
        expect.objectContaining({
          lineItemId: String(li['id']),
          creativeId: String(creative['id']),
        }),
      );

      // Delivery: imported from the report API on demand, then in the buyer's reporting.
      await expectDeliveryImported(h, agent, sf.seller.key, 'gam', 'google_ad_manager');
    } finally {
      await agent.close();
    }
  });

  it("writes a buyer's frequency cap on the line item, declares the units it counts, and refuses others", async () => {
    const sf = await connectedSource();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const v31 = { adcp_version: '3.1' };
    const cap = (per: string, unit = 'days') => ({
      frequency_cap: { max_impressions: 3, per, window: { interval: 2, unit } },
    });
    const creative = { name: 'Banner', url: `${gam.url}/cdn/banner.png` };
    const { agent, booked } = await bookSportsAt(base, sf.platformId, buyer.key, creative, {
      pkg: { targeting_overlay: cap('cookies') },
      request: v31,
    });
    try {
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const caps = await agent.call('get_adcp_capabilities', v31);
      expect(caps.media_buy.frequency_capping).toEqual({
        supported_per_units: ['cookies', 'devices'],
        supported_window_units: ['hours', 'days'],
      });
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
      const network = gam.networks.get(networkCode)!;
      // The line item just written (the buy's one package).
      const li = [...network.lineItems.values()].at(-1);
      expect(li!['frequencyCaps']).toEqual([
        { maxImpressions: '3', numTimeUnits: '2', timeUnit: 'DAY' },
      ]);
      // Ad Manager counts per cookie or device, over hours or days: anything else is refused.
      for (const [overlay, why] of [
        [cap('individuals'), 'not per individuals'],
        [cap('cookies', 'campaign'), 'not campaign'],
      ] as const) {
        const refused = await bookSportsAt(base, sf.platformId, buyer.key, creative, {
          pkg: { targeting_overlay: overlay },
          request: v31,
        });
        await refused.agent.close();
        expect(refused.booked.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].targeting_overlay.frequency_cap',
        });
        expect(refused.booked.adcp_error.message).toContain(why);
      }
    } finally {
      await agent.close();
    }
  });

  it('sells to a buyer over A2A: discovered, booked, approved, one order with its line item and creative', async () => {
    const sf = await connectedSource([{ ...sportsProduct, name: 'A2A sports' }]);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-a2a.example' });
    const agent = await a2aBuyer(base, sf.platformId, buyer.key);
    const listed = await agent.call('get_products', { buying_mode: 'brief', brief: 'sports' });
    expect(listed.state, JSON.stringify(listed)).toBe('completed');
    const product = listed.products.find((p: { product_id: string }) =>
      p.product_id.endsWith('sports_display'),
    );
    expect(product, JSON.stringify(listed.products)).toBeTruthy();
    const synced = await agent.call('sync_creatives', {
      idempotency_key: randomUUID(),
      account: { account_id: 'acme_media' },
      creatives: [
        {
          creative_id: 'a2a_banner',
          name: 'A2A banner',
          format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_300x250' },
          assets: {
            image: {
              asset_type: 'image',
              url: `${gam.url}/cdn/banner.png`,
              width: 300,
              height: 250,
            },
          },
        },
      ],
    });
    expect(synced.state, JSON.stringify(synced)).toBe('completed');
    const network = gam.networks.get(networkCode)!;
    const ordersBefore = network.orders.size;
    const booked = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account: { account_id: 'acme_media' },
      brand: { domain: 'acme.example' },
      start_time: 'asap',
      end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 6_000,
          creative_assignments: [{ creative_id: 'a2a_banner' }],
        },
      ],
    });
    expect(booked.status, JSON.stringify(booked)).toBe('submitted');
    expect(network.orders.size).toBe(ordersBefore);

    const decided = await approveQueued(h, sf.seller.key);
    expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
    const orders = [...network.orders.values()].filter((o) => !o['isArchived']);
    expect(orders).toHaveLength(ordersBefore + 1);
    const order = orders.at(-1)!;
    const lineItems = [...network.lineItems.values()].filter(
      (li) => li['orderId'] === String(order['id']),
    );
    expect(lineItems).toHaveLength(1);
    const creative = [...network.creatives.values()].at(-1)!;
    expect(network.associations).toContainEqual(
      expect.objectContaining({
        lineItemId: String(lineItems[0]!['id']),
        creativeId: String(creative['id']),
      }),
    );
    // The buyer sees its buy over A2A as the seller approved it.
    const buys = await agent.call('get_media_buys', { account: { account_id: 'acme_media' } });
    expect(buys.state, JSON.stringify(buys)).toBe('completed');
    expect(buys.media_buys).toHaveLength(1);
    expect(
      buys.media_buys.map((b: { status: string }) => b.status),
      JSON.stringify(buys),
    ).not.toContain('pending_approval');
  });

  it("holds a buy for the operator's approval even when the storefront approves buys automatically", async () => {
    const sf = await connectedSource([{ ...sportsProduct, name: 'Held sports' }], 'auto');
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency3.example' });
    const createsBefore = gam.calls.filter((c) => c.method === 'createOrders').length;
    const { agent, booked } = await bookSports(sf.platformId, buyer.key);
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      expect(gam.calls.filter((c) => c.method === 'createOrders')).toHaveLength(createsBefore);
      const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      expect(queue.status, queue.text).toBe(200);
      expect(queue.body.data.items).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });

  it('leaves no empty order behind when the ad server refuses a line item', async () => {
    const sf = await connectedSource([{ ...sportsProduct, name: 'Refused sports' }]);
    gam.refuseLineItemsNamed = 'Refused';
    const network = gam.networks.get(networkCode)!;
    const ours = (archived: boolean) =>
      [...network.orders.values()].filter(
        (o) => !!o['isArchived'] === archived && String(o['name']).startsWith('Interchange'),
      );
    const [liveBefore, archivedBefore] = [ours(false).length, ours(true).length];
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency2.example' });
    const { agent } = await bookSports(sf.platformId, buyer.key);
    try {
      const decided = await approveQueued(h, sf.seller.key);
      expectRefusedLine(decided);
      // The order made for the refused buy was archived; no new order is left live, and every
      // order still trafficked has its line items.
      expect(ours(true)).toHaveLength(archivedBefore + 1);
      expect(ours(false)).toHaveLength(liveBefore);
      for (const order of ours(false)) {
        const id = String(order['id']);
        expect([...network.lineItems.values()].some((li) => String(li['orderId']) === id)).toBe(
          true,
        );
      }
    } finally {
      gam.refuseLineItemsNamed = undefined;
      await agent.close();
    }
  });

  it('answers bad credentials and a wrong network with a code and a remediation', async () => {
    const sf = await adServerSeller(h);
    const stranger = gam.serviceAccount([networkCode]);
    const forged = { ...stranger, private_key: gam.serviceAccount([networkCode])['private_key'] };
    const saved = await h.call('PUT', `${sources}/bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode, serviceAccountKey: forged },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_INVALID_CREDENTIALS',
    });

    const typo = await h.call('PUT', `${sources}/bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode: '99999', serviceAccountKey: stranger },
    });
    expect(typo.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_NETWORK_NOT_FOUND',
    });
    const tested = await h.call('POST', `${sources}/bad/test-connection`, { key: sf.seller.key });
    expect(tested.status).toBe(200);
    expect(tested.body.data).toMatchObject({
      success: false,
      errorCode: 'ADAPTER_NETWORK_NOT_FOUND',
    });
    expect(tested.body.data.remediation).toMatch(/network code/i);

    const invalid = await h.call('PUT', `${sources}/bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode: 'abc' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    // Secrets never reach the logs.
    expect(h.rawLogs()).not.toContain(stranger['private_key']!.slice(40, 80));
  });

  it("answers another storefront's ad-server source as NOT_FOUND", async () => {
    const owner = await connectedSource();
    const other = await adServerSeller(h);
    for (const [method, path] of [
      ['GET', 'esa'],
      ['GET', 'status'],
      ['GET', 'sync-history'],
      ['POST', 'test-connection'],
      ['POST', 'deactivate'],
      ['POST', 'refresh'],
    ] as const) {
      const res = await h.call(method, `${sources}/gam/${path}`, { key: other.seller.key });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const mine = await h.call('GET', `${sources}/gam/esa`, { key: owner.seller.key });
    expect(mine.status).toBe(200);
  });
});
