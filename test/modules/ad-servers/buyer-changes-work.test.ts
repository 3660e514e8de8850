import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { agentClient } from '../../agents/storefront-agent-support.js';
import { consoleClient } from '../../web/console-client.js';
import { adServerHarness, connectAdServer, decide, manifestOf, sportsProduct } from './support.js';

/*
 * Issue 44, item 4 for ad-server sources, over MCP with the fake Ad Manager on a real socket: a
 * buyer's cancel of an order the seller approved is carried out in Ad Manager by its API, and
 * needs no one; when Ad Manager cannot take the order down, the buy still reads canceled to its
 * buyer and the seller gets a work item naming the order, the buyer, brand, PO, budget and
 * flight, in the storefront's queue and the console's review queues.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700044';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 20 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

async function approvedBuy(name: string) {
  const sf = await connectAdServer(h, 'gam', {
    type: 'google_ad_manager',
    networkCode,
    name: 'Our Ad Manager',
    publisherDomain: 'sportsnews.example',
    serviceAccountKey: gam.serviceAccount([networkCode]),
    products: [{ ...sportsProduct, name }],
  });
  const buyer = await createCustomer(h, {
    role: 'BUYER',
    name: 'Northwind Media',
    domain: `nw-${randomUUID().slice(0, 6)}.example`,
  });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const account = { account_id: 'acme_media' };
  const product = (
    await agent.call('get_products', { buying_mode: 'brief', brief: 'sports' })
  ).products.find((p: { product_id: string }) => p.product_id.endsWith('sports_display'));
  const creativeId = `cr_${randomUUID().slice(0, 8)}`;
  await agent.call('sync_creatives', {
    idempotency_key: randomUUID(),
    account,
    creatives: [manifestOf({ name: 'Banner', url: `${gam.url}/cdn/banner.png` }, creativeId)],
  });
  const end = new Date(Date.now() + 14 * 86_400_000).toISOString();
  const booked = await agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    po_number: 'PO-4471',
    start_time: 'asap',
    end_time: end,
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0].pricing_option_id,
        budget: 2_800,
        creative_assignments: [{ creative_id: creativeId }],
      },
    ],
  });
  expect(booked.status, JSON.stringify(booked)).toBe('submitted');
  const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
    key: sf.seller.key,
  });
  const decided = await decide(h, sf.seller.key, queue.body.data.items[0].mediaBuyId);
  expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
  const buys = await agent.call('get_media_buys', { account });
  const buy = buys.media_buys[0];
  const order = [...gam.networks.get(networkCode)!.orders.values()].at(-1)!;
  const cancel = () =>
    agent.call('update_media_buy', {
      idempotency_key: randomUUID(),
      account,
      media_buy_id: buy.media_buy_id,
      canceled: true,
    });
  return { sf, agent, buy, order, cancel, end };
}

const workItems = (key: string) => h.call('GET', '/api/v2/storefront/work-items', { key });

describe("a buyer's cancel of an ad-server order", () => {
  it('is carried out in Ad Manager by its API and opens no work item', async () => {
    const { sf, agent, order, cancel } = await approvedBuy('Cancel by API');
    try {
      const canceled = await cancel();
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(canceled.status).toBe('canceled');
      expect(order['isArchived']).toBe(true);
      const queue = await workItems(sf.seller.key);
      expect(queue.status, queue.text).toBe(200);
      expect(queue.body.data.total).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('reads canceled and opens a work item for the seller when Ad Manager cannot take the order down', async () => {
    const { sf, agent, order, cancel, end } = await approvedBuy('Cancel by hand');
    try {
      gam.failNext('performOrderAction', 'permission');
      const canceled = await cancel();
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect(canceled.status).toBe('canceled');
      expect(order['isArchived']).toBeFalsy();
      // A retried cancel opens no second item.
      expect((await cancel()).status).toBe('canceled');

      const queue = await workItems(sf.seller.key);
      expect(queue.status, queue.text).toBe(200);
      expect(queue.body.data.total).toBe(1);
      expect(queue.body.data.countsByKind).toEqual({ APPROVE_MEDIA_BUY_CANCELLATION: 1 });
      expect(queue.body.data.countsBySource).toEqual([
        { sourceId: 'gam', name: 'Our Ad Manager', executionType: 'MANAGED_SALES_AGENT', count: 1 },
      ]);
      const item = queue.body.data.items[0];
      expect(item).toMatchObject({
        kind: 'APPROVE_MEDIA_BUY_CANCELLATION',
        priority: 'HIGH',
        status: 'OPEN',
        source: { sourceId: 'gam', executionType: 'MANAGED_SALES_AGENT' },
        mediaBuy: {
          buyer: { name: 'Northwind Media' },
          brandDomain: 'acmeoutdoor.example',
          poNumber: 'PO-4471',
          budget: { amount: 2_800, currency: 'USD' },
          flight: { endTime: end },
          status: 'canceled',
        },
      });
      expect(item.title).toContain(String(order['id']));

      // The console's review queues list it with its buyer and PO.
      const browser = consoleClient(() => h.app);
      const session = await browser.signIn(sf.seller.key);
      const page = await browser.get('/console/reviews', session.cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(item.title.replace(/:.*/, ''));
      expect(page.body).toContain('PO-4471');

      // Done by hand: the seller completes it, and nothing waits any more.
      const done = await h.call('POST', `/api/v2/storefront/work-items/${item.id}/complete`, {
        key: sf.seller.key,
        body: { notes: 'Archived in Ad Manager by hand' },
      });
      expect(done.status, done.text).toBe(200);
      expect(done.body.data.item.status).toBe('COMPLETED');
      expect((await workItems(sf.seller.key)).body.data.total).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it("answers another storefront's work item as NOT_FOUND", async () => {
    const { sf, agent, cancel } = await approvedBuy('Cancel isolation');
    try {
      gam.failNext('performOrderAction', 'permission');
      await cancel();
      const item = (await workItems(sf.seller.key)).body.data.items[0];
      const other = await connectAdServer(h, 'gam', {
        type: 'google_ad_manager',
        networkCode,
        serviceAccountKey: gam.serviceAccount([networkCode]),
        products: [sportsProduct],
      });
      const res = await h.call('POST', `/api/v2/storefront/work-items/${item.id}/complete`, {
        key: other.seller.key,
        body: {},
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    } finally {
      await agent.close();
    }
  });
});
