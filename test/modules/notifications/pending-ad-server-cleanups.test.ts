import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  adServerHarness,
  approveQueued,
  bookSports,
  connectAdServer,
  expectRefusedLine,
  sportsProduct,
} from '../ad-servers/support.js';

/*
 * The seller's pending operations after Ad Manager refused a booked line item and then refused
 * to archive the order made for it: the order left behind (gamCleanups) and the buy whose
 * forward failed (failedForwards), as the seller reads them over REST.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700048';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 10 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

describe('pending operations of an ad-server source', () => {
  it('lists the order a failed booking left in Ad Manager and the failed forward', async () => {
    const sf = await connectAdServer(h, 'gam', {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      products: [{ ...sportsProduct, name: 'Refused sports' }],
    });
    const empty = await h.call('GET', '/api/v2/storefront/pending-operations', {
      key: sf.seller.key,
    });
    expect(empty.body.data).toEqual({ total: 0 });

    gam.refuseLineItemsNamed = 'Refused';
    // Archiving the order fails too, however often it is retried.
    gam.failNext('performOrderAction', 'server', 20);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-pending.example' });
    const { agent } = await bookSports(base, sf.platformId, buyer.key, {
      name: 'Banner',
      url: `${gam.url}/cdn/banner.png`,
    });
    try {
      const decided = await approveQueued(h, sf.seller.key);
      expectRefusedLine(decided);
      const mediaBuyId: string = decided.body.data.mediaBuyId;

      const pending = await h.call('GET', '/api/v2/storefront/pending-operations', {
        key: sf.seller.key,
      });
      expect(pending.status, pending.text).toBe(200);
      const orderId = [...gam.networks.get(networkCode)!.orders.values()]
        .map((o) => String(o['id']))
        .at(-1);
      expect(pending.body.data.gamCleanups).toEqual({
        count: 1,
        items: [
          {
            operationId: expect.any(String),
            orderId,
            sourceId: 'gam',
            sourceName: expect.any(String),
            outcome: 'failed',
            safeToCleanup: false,
            requiredPermission: null,
            retryDisposition: 'manual_review_required',
            safeNextAction: 'clean_up_manually_in_gam',
            createdAt: expect.any(String),
          },
        ],
      });
      expect(pending.body.data.failedForwards).toMatchObject({
        count: 1,
        groups: [
          {
            errorCode: 'INVALID_REQUEST',
            recovery: 'correctable',
            action: 'fix_and_resubmit',
            count: 1,
            items: [
              {
                mediaBuyId,
                buyer: { customerId: buyer.id, name: expect.any(String) },
                terminalized: true,
                action: 'fix_and_resubmit',
                references: { idempotencyKey: expect.any(String), requestedAt: expect.any(String) },
              },
            ],
          },
        ],
      });
      expect(pending.body.data.total).toBe(2);
    } finally {
      gam.refuseLineItemsNamed = undefined;
      await agent.close();
    }
  }, 300_000);
});
