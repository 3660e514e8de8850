import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGam, type FakeGam } from '../../src/sandbox/fakes/gam/server.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { eventually } from '../support/eventually.js';
import {
  call,
  createDeployment,
  customer,
  type Deployment,
  type ServerProcess,
} from '../support/spawned-server.js';
import { bookSports, sources, sportsProduct } from '../modules/ad-servers/support.js';

/*
 * An order waiting for Ad Manager's own approval is followed by a durable job; Interchange is
 * killed with SIGKILL while it follows, the approver approves the order in the meantime, and a
 * new process (the same database) takes the following over: the buyer's buy goes live, with
 * exactly one order (and one create call) in the fake Ad Manager.
 */

let gam: FakeGam;
let deployment: Deployment;
let server: ServerProcess | undefined;
const networkCode = '21700009';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 30 });
  gam.holdOrdersForApproval = true;
  deployment = await createDeployment({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_AD_SERVER_ORDER_POLL_SECONDS: '1',
    // A check left by the dead process is taken over within seconds.
    INTERCHANGE_JOBS_LEASE_SECONDS: '5',
    INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  });
});
afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await deployment?.close();
  await gam?.close();
});

const orderReads = () => gam.calls.filter((c) => c.method === 'getOrdersByStatement').length;

describe(
  'an order followed through Ad Manager approval, across a SIGKILL',
  { timeout: 240_000 },
  () => {
    it('goes live on the next process once the approver approves, with one order in the ad server', async () => {
      server = await deployment.start();
      const seller = await customer(server.url, deployment.adminKey, 'SELLER');
      const sf = await call(server.url, 'PUT', '/api/v2/storefront', {
        key: seller.key,
        body: { defaultCurrency: 'USD', mediaBuyApproval: 'manual', creativeApproval: 'auto' },
      });
      expect(sf.status, sf.text).toBe(200);
      const saved = await call(server.url, 'PUT', `${sources}/gam/ad-server`, {
        key: seller.key,
        body: {
          type: 'google_ad_manager',
          networkCode,
          name: 'Our Ad Manager',
          publisherDomain: 'sportsnews.example',
          serviceAccountKey: gam.serviceAccount([networkCode]),
          products: [sportsProduct],
        },
      });
      expect(saved.status, saved.text).toBe(200);
      await eventually(
        async () =>
          (
            await call(server!.url, 'GET', `${sources}/gam/sync-history?limit=1`, {
              key: seller.key,
            })
          ).body?.data?.runs?.[0]?.status,
        (status) => status === 'completed',
        120_000,
      );
      expect(
        (await call(server.url, 'POST', '/api/v2/storefront/activate', { key: seller.key })).status,
      ).toBe(200);
      await call(server.url, 'POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
        key: deployment.adminKey,
        body: { action: 'list' },
      });

      const buyer = await customer(server.url, deployment.adminKey, 'BUYER', 'acme-crash.example');
      const platformId = sf.body.data.platformId as string;
      const { agent, booked } = await bookSports(server.url, platformId, buyer.key, {
        name: 'Banner',
        url: `${gam.url}/cdn/banner.png`,
      });
      await agent.close();
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      const queue = await call(server.url, 'GET', '/api/v2/storefront/media-buy-approvals', {
        key: seller.key,
      });
      const buyId = queue.body.data.items[0].mediaBuyId as string;
      const decided = await call(
        server.url,
        'POST',
        `/api/v2/storefront/media-buy-approvals/${buyId}/decide`,
        { key: seller.key, body: { status: 'approved' } },
      );
      expect(decided.status, decided.text).toBe(200);
      const network = gam.networks.get(networkCode)!;
      const [order] = [...network.orders.values()];
      expect(order!['status']).toBe('PENDING_APPROVAL');

      // The job is following: it has read the order again since; then the process dies.
      const readsAtApproval = orderReads();
      await eventually(
        async () => orderReads(),
        (n) => n >= readsAtApproval + 2,
        60_000,
      );
      await server.kill();
      gam.decideOrder(networkCode, String(order!['id']), 'APPROVED');

      server = await deployment.start();
      const buyerAgent = await agentClient(server.url, platformId, buyer.key);
      try {
        const live = await eventually(
          async () =>
            (
              await buyerAgent.call('get_media_buys', {
                account: { account_id: 'acme_media' },
                media_buy_ids: [buyId],
              })
            ).media_buys?.[0],
          (buy) => buy?.status === 'active',
          90_000,
        );
        expect(live.ext?.interchange?.ad_server_status).toBe('DELIVERING');
      } finally {
        await buyerAgent.close();
      }
      // One order, created once, with its one line item: the new process followed, never booked.
      expect([...network.orders.values()]).toHaveLength(1);
      expect(gam.calls.filter((c) => c.method === 'createOrders')).toHaveLength(1);
      const lineItems = [...network.lineItems.values()].filter(
        (li) => li['orderId'] === String(order!['id']),
      );
      expect(lineItems).toHaveLength(1);
    });
  },
);
