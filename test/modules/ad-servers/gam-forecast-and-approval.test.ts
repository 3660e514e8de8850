import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  adServerSeller,
  bookSports,
  decide,
  openStorefront,
  settledSync,
  sources,
  sportsProduct,
} from './support.js';

/*
 * Issue 35, items 3 and 4 over MCP with the fake Ad Manager on a real socket: products carry
 * availability from Ad Manager's forecast (cached, its age shown, never waited for), and an
 * order is followed through Ad Manager's own approval until it serves or is disapproved.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700001';
const homepageProduct = {
  productId: 'homepage_display',
  name: 'Homepage display',
  description: 'Homepage slots',
  placementIds: ['501'],
  keyValues: {},
  cpm: 8,
};

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 40 });
  h = await createHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_AD_SERVER_ORDER_POLL_SECONDS: '1',
  });
  await h.services.jobs.start();
  base = await listen(h);
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

async function connectedSource() {
  const sf = await adServerSeller(h);
  const saved = await h.call('PUT', `${sources}/gam/ad-server`, {
    key: sf.seller.key,
    body: {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      products: [sportsProduct, homepageProduct],
    },
  });
  expect(saved.status, saved.text).toBe(200);
  expect((await settledSync(h, sf.seller.key, 'gam')).status).toBe('completed');
  await openStorefront(h, sf.seller, sf.id);
  return sf;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- products as the buyer reads them
type Wire = any;
const availabilityOf = (product: Wire) => product.ext?.availability;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("Ad Manager's forecast and order approval through a storefront", () => {
  it("answers products at once while the forecast is asked for, then with Ad Manager's availability and its age", async () => {
    const sf = await connectedSource();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const { agentClient } = await import('../../agents/storefront-agent-support.js');
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      // A slow ad server: each forecast takes 6 s. Discovery does not wait for it.
      gam.forecastDelayMs = 6000;
      const products = async () => {
        const answer = await agent.call('get_products', { buying_mode: 'brief', brief: 'display' });
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        const find = (id: string) =>
          answer.products.find((p: Wire) => p.product_id.endsWith(id)) as Wire;
        return { sports: find('sports_display'), homepage: find('homepage_display') };
      };
      // Not waited for: the answer holds no forecast yet and says one is being asked for (a
      // wall-clock bound here measured the machine's load, not the wait: 5.1-8.3 s at load 11).
      const first = await products();
      expect(first.sports.forecast).toBeUndefined();
      expect(availabilityOf(first.sports)).toMatchObject({ status: 'pending', refreshing: true });
      expect(availabilityOf(first.sports).message).toMatch(/not in yet/);
      gam.forecastDelayMs = 0;

      const fresh = await until(
        'forecasts',
        products,
        (p) =>
          availabilityOf(p.sports)?.status === 'fresh' &&
          availabilityOf(p.homepage)?.status === 'fresh',
      );
      // Placement 502 is one ad unit: 20,000 a day for 30 days, 40% of it for section=sports.
      expect(fresh.sports.forecast).toMatchObject({
        forecast_range_unit: 'availability',
        method: 'modeled',
        currency: 'USD',
        points: [
          {
            metrics: { impressions: { low: 240_000, mid: 240_000, high: 240_000 } },
          },
        ],
        ext: { interchange: { matched_impressions: 240_000, stale: false } },
      });
      // No spend: the storefront may price the product above the ad server's CPM.
      expect(fresh.sports.forecast.points[0].metrics.spend).toBeUndefined();
      // Placement 501 is two ad units, without key-value targeting.
      expect(fresh.homepage.forecast.points[0].metrics.impressions.mid).toBe(1_200_000);
      const { age_seconds, as_of } = availabilityOf(fresh.sports);
      expect(age_seconds).toBeGreaterThanOrEqual(0);
      expect(age_seconds).toBeLessThan(60);
      expect(fresh.sports.forecast.generated_at).toBe(as_of);
      const forecastCalls = gam.calls.filter((c) => c.method === 'getAvailabilityForecast');
      expect(forecastCalls.length).toBe(2);

      // A fresh forecast is answered from the cache: Ad Manager is not asked again.
      await products();
      expect(gam.calls.filter((c) => c.method === 'getAvailabilityForecast').length).toBe(2);

      // An old forecast is answered as stale, with its age, and refreshed behind the answer.
      await h.database.queryable.query(
        `UPDATE ad_server_forecasts SET forecast_at = now() - interval '3 hours',
           requested_at = now() - interval '3 hours'`,
      );
      // Written behind the module's back: a get_products reads the rows again 2 s after it last
      // did (src/modules/ad-servers/forecasts/held-forecasts.ts), as it would after another instance wrote.
      await new Promise((r) => setTimeout(r, 2100));
      const stale = await products();
      expect(availabilityOf(stale.sports)).toMatchObject({ status: 'stale', refreshing: true });
      expect(availabilityOf(stale.sports).age_seconds).toBeGreaterThanOrEqual(3 * 3600);
      expect(stale.sports.forecast.ext.interchange.stale).toBe(true);
      await until(
        'refreshed forecast',
        products,
        (p) => availabilityOf(p.sports)?.status === 'fresh',
      );
      expect(gam.calls.filter((c) => c.method === 'getAvailabilityForecast').length).toBe(4);
    } finally {
      gam.forecastDelayMs = 0;
      await agent.close();
    }
  });

  it('follows an order held for approval in Ad Manager until it serves, or until it is disapproved', async () => {
    const sf = await connectedSource();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const network = gam.networks.get(networkCode)!;
    gam.holdOrdersForApproval = true;
    const creative = { name: 'Banner', url: `${gam.url}/cdn/banner.png` };
    const statusOf = async (agent: Wire, id: string) => {
      const answer = await agent.call('get_media_buys', {
        account: { account_id: 'acme_media' },
        media_buy_ids: [id],
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      return answer.media_buys[0];
    };
    const sellerStatus = async () =>
      (await h.call('GET', `${sources}/gam/status`, { key: sf.seller.key })).body.data;
    const bookAndApprove = async () => {
      const { agent, booked } = await bookSports(base, sf.platformId, buyer.key, creative);
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      const waiting = queue.body.data.items[0];
      const decided = await decide(h, sf.seller.key, waiting.mediaBuyId);
      expect(decided.status, decided.text).toBe(200);
      const order = [...network.orders.values()].at(-1)!;
      return { agent, id: waiting.mediaBuyId as string, order };
    };
    try {
      const one = await bookAndApprove();
      try {
        // The seller approved; Ad Manager's own approver has not.
        expect(one.order['status']).toBe('PENDING_APPROVAL');
        const pending = await statusOf(one.agent, one.id);
        expect(pending.status).toBe('pending_start');
        expect(pending.ext?.interchange?.ad_server_status).toBe('PENDING_APPROVAL');
        expect((await sellerStatus()).workflows.byKind).toMatchObject({ ad_server_approval: 1 });
        // The order is checked again and again while it waits.
        const checkedAt = pending.ext.interchange.ad_server_checked_at;
        await until(
          'a later check',
          () => statusOf(one.agent, one.id),
          (b) => b.ext.interchange.ad_server_checked_at !== checkedAt,
        );

        gam.decideOrder(networkCode, String(one.order['id']), 'APPROVED');
        const live = await until(
          'active',
          () => statusOf(one.agent, one.id),
          (b) => b.status === 'active',
        );
        expect(live.ext.interchange.ad_server_status).toBe('DELIVERING');
        expect((await sellerStatus()).workflows.byKind.ad_server_approval).toBeUndefined();
      } finally {
        await one.agent.close();
      }

      const two = await bookAndApprove();
      try {
        expect(two.order['status']).toBe('PENDING_APPROVAL');
        gam.decideOrder(
          networkCode,
          String(two.order['id']),
          'DISAPPROVED',
          'Alcohol is not allowed on sports pages',
        );
        const rejected = await until(
          'rejected',
          () => statusOf(two.agent, two.id),
          (b) => b.status === 'rejected',
        );
        expect(rejected.rejection_reason).toBe(
          'Ad Manager disapproved the order: Alcohol is not allowed on sports pages',
        );
        const seller = await sellerStatus();
        expect(seller.operational.issues).toContainEqual(
          expect.objectContaining({
            code: 'AD_SERVER_DISAPPROVED',
            message: expect.stringContaining('Alcohol is not allowed'),
          }),
        );
      } finally {
        await two.agent.close();
      }
    } finally {
      gam.holdOrdersForApproval = false;
    }
  });

  it('approves and follows an order whose approval call never got through (the follow job was queued first)', async () => {
    const sf = await connectedSource();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const network = gam.networks.get(networkCode)!;
    // Every attempt at ApproveOrders fails, as if the instance died before it: the order stays DRAFT.
    gam.failNext('performOrderAction', 'server', 4);
    const { agent, booked } = await bookSports(base, sf.platformId, buyer.key, {
      name: 'Banner',
      url: `${gam.url}/cdn/banner.png`,
    });
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      const waiting = queue.body.data.items[0];
      await decide(h, sf.seller.key, waiting.mediaBuyId);
      const order = [...network.orders.values()].at(-1)!;
      const live = await until(
        'active after the follow job approved the order',
        async () =>
          (
            await agent.call('get_media_buys', {
              account: { account_id: 'acme_media' },
              media_buy_ids: [waiting.mediaBuyId],
            })
          ).media_buys?.[0],
        (b: Wire) => b?.status === 'active',
      );
      expect(live.status).toBe('active');
      expect(order['status']).toBe('APPROVED');
      // One order, approved by the job, not a second one.
      expect([...network.orders.values()].filter((o) => o['name'] === order['name'])).toHaveLength(
        1,
      );
    } finally {
      await agent.close();
    }
  });
});
