import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { adServerHarness, adServerSeller, settledSync, sources } from './support.js';

/*
 * What an ad-server source's operator reads (the console's source page): the products its
 * synced inventory makes and its orders in the ad server, over HTTP with the fake Ad Manager on a
 * real socket. Happy path, refusals, and another seller's source answering 404.
 */

let gam: FakeGam;
let h: Harness;
const networkCode = '21700001';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 12 });
  ({ h } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

async function connected(rateCard?: { defaultCpm: number; currency: string }) {
  const sf = await adServerSeller(h);
  const saved = await h.call('PUT', `${sources}/gam/ad-server`, {
    key: sf.seller.key,
    body: {
      type: 'google_ad_manager',
      networkCode,
      serviceAccountKey: gam.serviceAccount([networkCode]),
      ...(rateCard && { rateCard }),
    },
  });
  expect(saved.status, saved.text).toBe(200);
  expect((await settledSync(h, sf.seller.key, 'gam')).status).toBe('completed');
  return sf;
}

describe('an ad-server source’s products and orders', () => {
  it('lists the products the synced placements make, at the rate card’s CPM', async () => {
    const sf = await connected({ defaultCpm: 7, currency: 'EUR' });
    const listed = await h.call('GET', `${sources}/gam/ad-server/products`, { key: sf.seller.key });
    expect(listed.status, listed.text).toBe(200);
    const products = listed.body.data.products as Array<Record<string, unknown>>;
    expect(products.map((p) => p['product_id']).sort()).toEqual(['placement_501', 'placement_502']);
    const sports = products.find((p) => p['product_id'] === 'placement_502')!;
    expect(sports).toMatchObject({
      name: 'Sports section',
      pricing_options: [expect.objectContaining({ fixed_price: 7, currency: 'EUR' })],
    });

    const orders = await h.call('GET', `${sources}/gam/ad-server/orders?status=approving`, {
      key: sf.seller.key,
    });
    expect(orders.status, orders.text).toBe(200);
    expect(orders.body.data).toEqual({ orders: [], count: 0, nextCursor: null });
  });

  it('refuses an unknown order status and a cursor that is not one, naming the field', async () => {
    const sf = await connected();
    const status = await h.call('GET', `${sources}/gam/ad-server/orders?status=lost`, {
      key: sf.seller.key,
    });
    expect(status.status).toBe(400);
    expect(status.body.error.field).toBe('status');
    const cursor = await h.call('GET', `${sources}/gam/ad-server/orders?cursor=yesterday`, {
      key: sf.seller.key,
    });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.field).toBe('cursor');
    const limit = await h.call('GET', `${sources}/gam/ad-server/products?limit=0`, {
      key: sf.seller.key,
    });
    expect(limit.status).toBe(400);
  });

  it('answers 404 for another seller’s source; a buyer is refused', async () => {
    await connected();
    const other = await adServerSeller(h);
    for (const path of ['products', 'orders']) {
      const read = await h.call('GET', `${sources}/gam/ad-server/${path}`, {
        key: other.seller.key,
      });
      expect(read.status, read.text).toBe(404);
    }
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const asBuyer = await h.call('GET', `${sources}/gam/ad-server/products`, { key: buyer.key });
    expect([401, 403]).toContain(asBuyer.status);
  });
});
