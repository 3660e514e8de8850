import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { specViolations } from '../../agents/adcp31-spec-schemas.js';
import {
  agentClient,
  buyOf,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import {
  adServerHarness,
  approveQueued,
  bookSports,
  connectAdServer,
  decide,
  sources,
  sportsProduct,
} from './support.js';

/*
 * Viewability in an ad-server source's delivery (issue 70), over MCP with the official client:
 * the test controller's viewability block on a sandbox order is written as the report import
 * writes delivery (ad_server_delivery), and the import reads Ad Manager's Active View columns
 * (measurable and viewable impressions, under the MRC's threshold); get_media_buy_delivery
 * answers both in totals and by package, per the spec's schema.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700078';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 20 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

const connected = () =>
  connectAdServer(
    h,
    'gam',
    {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      products: [sportsProduct],
    },
    'manual',
  );

describe('viewability at a Google Ad Manager source', () => {
  it('is simulated on a sandbox order as the storyboard sends it and answered with all five fields', async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'gam_viewability_q2',
          fixture: {
            delivery_type: 'guaranteed',
            channels: ['display'],
            pricing_options: [
              {
                pricing_option_id: 'gam_cpm',
                pricing_model: 'cpm',
                fixed_price: 14,
                currency: 'USD',
              },
            ],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'gam_viewability_q2',
      );
      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 6_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const queued = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      const mediaBuyId = queued.body.data.items[0]?.mediaBuyId as string;
      const decided = await decide(h, sf.seller.key, mediaBuyId);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');

      const simulated = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'simulate_delivery',
        params: {
          media_buy_id: mediaBuyId,
          impressions: 80_000,
          viewability: {
            measurable_impressions: 74_000,
            viewable_impressions: 59_200,
            viewable_rate: 0.8,
            viewed_seconds: 4.3,
            standard: 'mrc',
          },
          reported_spend: { amount: 1030, currency: 'USD' },
        },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      const delivery = await agent.call('get_media_buy_delivery', {
        adcp_version: '3.1',
        account: storyboardSandbox,
        media_buy_ids: [mediaBuyId],
      });
      expect(specViolations('get_media_buy_delivery', delivery)).toEqual([]);
      const row = (delivery.media_buy_deliveries as Json[])[0];
      const expected = {
        measurable_impressions: 74_000,
        viewable_impressions: 59_200,
        viewable_rate: 0.8,
        viewed_seconds: 4.3,
        standard: 'mrc',
      };
      expect(row.totals.viewability, JSON.stringify(delivery)).toEqual(expected);
      expect(row.by_package[0].viewability, JSON.stringify(delivery)).toEqual(expected);

      const groupm = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'simulate_delivery',
        params: {
          media_buy_id: mediaBuyId,
          viewability: { measurable_impressions: 10, viewable_impressions: 5, standard: 'groupm' },
        },
      });
      expect(groupm.error, JSON.stringify(groupm)).toBe('INVALID_PARAMS');
    } finally {
      await agent.close();
    }
  }, 150_000);

  it("imports Active View's measurable and viewable impressions from the delivery report", async () => {
    const sf = await connected();
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const { agent, booked } = await bookSports(base, sf.platformId, buyer.key, {
      name: 'Banner',
      url: `${gam.url}/cdn/banner.png`,
    });
    try {
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
      const imported = await h.call('POST', `${sources}/gam/ad-server/delivery/import`, {
        key: sf.seller.key,
      });
      expect(imported.status, imported.text).toBe(200);
      // The report job asked for Active View's columns.
      const delivery = await agent.call('get_media_buy_delivery', {
        adcp_version: '3.1',
        account: { account_id: 'acme_media' },
      });
      expect(specViolations('get_media_buy_delivery', delivery)).toEqual([]);
      const totals = (delivery.media_buy_deliveries as Json[])[0].totals;
      // The fake reports 1,000 impressions a day, 900 measured by Active View and 630 viewable.
      const days = totals.impressions / 1000;
      expect(days, JSON.stringify(delivery)).toBeGreaterThanOrEqual(1);
      expect(totals.viewability, JSON.stringify(delivery)).toEqual({
        measurable_impressions: 900 * days,
        viewable_impressions: 630 * days,
        viewable_rate: 0.7,
        standard: 'mrc',
      });
    } finally {
      await agent.close();
    }
  }, 150_000);
});
