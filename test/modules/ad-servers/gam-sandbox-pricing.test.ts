import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  agentClient,
  buyOf,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import { adServerHarness, connectAdServer, sportsProduct } from './support.js';

/*
 * What is shown is what is booked, for a seeded pricing option at an Ad Manager source (issue 70),
 * over MCP with the official client against the fake network: media_buy_seller seeds
 * `lifestyle_display_q2` without pricing, then its `cpm_standard` option with a floor of 8 as the
 * runner sends it (comply_test_controller's `params.fixture`). The product lists that option as a
 * floor of 8 (no made-up fixed price beside it); a bid under it is refused at
 * `packages[0].bid_price` and books nothing; a bid over it is the CPM of the line item in the
 * network's own record, a price-priority (non-guaranteed) line as the fixture's delivery type
 * says; a buy naming the option without a bid books at the floor shown.
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

const network = () => gam.networks.get(networkCode)!;
const openOrders = () => [...network().orders.values()].filter((o) => !o['isArchived']);
const linesOf = (order: Record<string, unknown>) =>
  [...network().lineItems.values()].filter((li) => li['orderId'] === String(order['id']));

describe('a seeded floor-priced option at a Google Ad Manager source', () => {
  it('is listed as its floor, and a buy of it books the line item at the bid (price priority), refusing a bid under the floor', async () => {
    const sf = await connectAdServer(
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
      'auto',
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      // As the storyboard runner seeds media_buy_seller's fixtures (its seeding.js).
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'lifestyle_display_q2',
          fixture: {
            delivery_type: 'non_guaranteed',
            channels: ['display'],
            format_ids: [{ id: 'display_300x250' }],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });
      const priced = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_pricing_option',
        params: {
          product_id: 'lifestyle_display_q2',
          pricing_option_id: 'cpm_standard',
          fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 8 },
        },
      });
      expect(priced.success, JSON.stringify(priced)).toBe(true);

      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'lifestyle_display_q2',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      expect(product.delivery_type).toBe('non_guaranteed');
      expect(product.pricing_options, JSON.stringify(product.pricing_options)).toHaveLength(1);
      expect(product.pricing_options[0]).toMatchObject({
        pricing_option_id: 'cpm_standard',
        pricing_model: 'cpm',
        floor_price: 8,
      });
      expect(product.pricing_options[0].fixed_price).toBeUndefined();

      const buy = (bid?: number) => {
        const request = buyOf(product, storyboardSandbox, 6_000);
        return agent.call('create_media_buy', {
          ...request,
          packages: request.packages.map((pkg) => ({
            ...pkg,
            ...(bid !== undefined && { bid_price: bid }),
          })),
        });
      };
      const before = openOrders().length;
      const under = await buy(7.5);
      expect(under.isError, JSON.stringify(under)).toBe(true);
      expect(JSON.stringify(under)).toMatch(/packages\[0\]\.bid_price/);
      expect(openOrders()).toHaveLength(before);

      const bid = await buy(12.5);
      expect(bid.isError, JSON.stringify(bid)).toBe(false);
      expect(openOrders()).toHaveLength(before + 1);
      const [line] = linesOf(openOrders().at(-1)!);
      expect(line?.['costPerUnit'], JSON.stringify(line)).toMatchObject({
        microAmount: '12500000',
      });
      // A non-guaranteed fixture is a price-priority line, which competes on its CPM.
      expect(line?.['lineItemType']).toBe('PRICE_PRIORITY');

      const floor = await buy();
      expect(floor.isError, JSON.stringify(floor)).toBe(false);
      expect(openOrders()).toHaveLength(before + 2);
      const [atFloor] = linesOf(openOrders().at(-1)!);
      expect(atFloor?.['costPerUnit'], JSON.stringify(atFloor)).toMatchObject({
        microAmount: '8000000',
      });
    } finally {
      await agent.close();
    }
  }, 180_000);
});
