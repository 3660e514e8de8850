import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  agencyBuying,
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
  sportsProduct,
} from './support.js';

/*
 * An ad-server source holds a sandbox buyer's seeded product (issue 70, item 2), over MCP with the
 * official client: the storefront's comply_test_controller seed goes to the Google Ad Manager
 * source, which lists it to that sandbox account under the seeded id over its network's
 * placements; a sandbox buy of it, once the operator approves it, is an order with a line item
 * in the fake network (its own record), marked the sandbox buyer's and never approved there; the
 * controller's delivery reaches it. A live account's seed is refused, a live buy naming the
 * fixture is refused, and nothing more is booked.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700077';

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

const openOrders = () =>
  [...gam.networks.get(networkCode)!.orders.values()].filter((o) => !o['isArchived']);

const connected = (approval: 'manual' | 'auto') =>
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
    approval,
  );

describe('a seeded product at a Google Ad Manager source', () => {
  it('is a sandbox product over its placements, and a sandbox buy of it is a sandbox order in the network', async () => {
    const sf = await connected('manual');
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const { account: live } = await agencyBuying(h);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'gam_fixture_q2',
          fixture: {
            name: 'Ad Manager display fixture',
            delivery_type: 'guaranteed',
            channels: ['display'],
            allowed_actions: [
              { action: 'increase_budget', modes: ['self_serve'] },
              { action: 'update_targeting', modes: ['self_serve'] },
            ],
            pricing_options: [
              {
                pricing_option_id: 'gam_fixture_fixed',
                pricing_model: 'cpm',
                fixed_price: 15,
                currency: 'USD',
              },
            ],
          },
        },
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });

      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'gam_fixture_q2',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      expect(product.ext?.interchange?.source_id).toBe('gam');
      // The seeded action template as far as an ad-server buy takes it (no targeting changes).
      expect(product.allowed_actions.map((a: Json) => a.action)).toEqual(['increase_budget']);
      expect(product.pricing_options[0]).toMatchObject({
        pricing_option_id: 'gam_fixture_fixed',
        fixed_price: 15,
      });

      const before = openOrders().length;
      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 6_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // Every ad-server buy waits for the operator, a sandbox one too; then it is written.
      expect(openOrders()).toHaveLength(before);
      const queued = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      const mediaBuyId = queued.body.data.items[0]?.mediaBuyId as string;
      expect(mediaBuyId, queued.text).toBeTruthy();
      const decided = await decide(h, sf.seller.key, mediaBuyId);
      expect(decided.status, decided.text).toBe(200);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');

      // The network's own record: an order marked the sandbox buyer's, never approved there,
      // with a line item over the fixture's placement at the seeded price.
      const orders = openOrders();
      expect(orders).toHaveLength(before + 1);
      const order = orders.at(-1)!;
      expect(String(order['name'])).toMatch(/^Interchange sandbox /);
      expect(String(order['notes'])).toContain(`Sandbox buy of Interchange buyer ${buyer.id}`);
      expect(order['status']).toBe('DRAFT');
      const network = gam.networks.get(networkCode)!;
      const lines = [...network.lineItems.values()].filter(
        (li) => li['orderId'] === String(order['id']),
      );
      expect(lines).toHaveLength(1);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake's parsed XML
      const targeting = lines[0]!['targeting'] as Record<string, any>;
      expect(targeting.inventoryTargeting.targetedPlacementIds).toEqual(['502']);
      expect(lines[0]!['costPerUnit']).toMatchObject({ microAmount: '15000000' });

      // The controller's delivery reaches the source's record of the sandbox buy.
      const simulated = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'simulate_delivery',
        params: { media_buy_id: mediaBuyId, impressions: 4000, clicks: 40 },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      expect(simulated.ext?.interchange, JSON.stringify(simulated)).toMatchObject({
        held_by: 'gam',
      });
      const delivery = await agent.call('get_media_buy_delivery', {
        account: storyboardSandbox,
        media_buy_ids: [mediaBuyId],
      });
      const totals = (delivery.media_buy_deliveries as Json[])?.[0]?.totals;
      expect(totals, JSON.stringify(delivery)).toMatchObject({ impressions: 4000, clicks: 40 });

      // A live account: its seed is refused, the fixture is not listed, and naming it books nothing.
      await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveSeed = await agent.call('comply_test_controller', {
        account: live,
        scenario: 'seed_product',
        params: { product_id: 'gam_live_fixture', fixture: { channels: ['display'] } },
      });
      expect(liveSeed.success, JSON.stringify(liveSeed)).not.toBe(true);
      const liveListed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: live,
      });
      const liveIds = ((liveListed.products ?? []) as Json[]).map((p) => p.product_id);
      expect(liveIds, JSON.stringify(liveListed)).not.toContain('gam_fixture_q2');
      expect(liveIds).not.toContain('gam_live_fixture');
      const liveBuy = await agent.call('create_media_buy', buyOf(product, live, 6_000));
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(true);
      expect(JSON.stringify(liveBuy)).toMatch(/NOT_FOUND/);
      const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      expect(queue.body.data.items, queue.text).toHaveLength(0);
      expect(openOrders()).toHaveLength(before + 1);
    } finally {
      await agent.close();
    }
  }, 180_000);

  it('books a sandbox buy at once on an auto storefront (the order is never approved in the network), and forces its status', async () => {
    const sf = await connected('auto');
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: { product_id: 'gam_auto_fixture', fixture: { channels: ['display'] } },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'gam_auto_fixture',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      const before = openOrders().length;
      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 6_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.media_buy_id, JSON.stringify(bought)).toBeTruthy();
      expect(bought.status, JSON.stringify(bought)).not.toBe('submitted');
      const order = openOrders().at(-1)!;
      expect(openOrders()).toHaveLength(before + 1);
      expect(String(order['name'])).toMatch(/^Interchange sandbox /);
      expect(order['status']).toBe('DRAFT');

      const forced = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_media_buy_status',
        params: { media_buy_id: bought.media_buy_id, status: 'paused' },
      });
      expect(forced.success, JSON.stringify(forced)).toBe(true);
      const read = await agent.call('get_media_buys', {
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      expect((read.media_buys as Json[])?.[0]?.status, JSON.stringify(read)).toBe('paused');
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('lists a fixture seeded with format ids as storyboards write them (no agent_url) for its brief, books its image on a test host by URL, and refuses a live buy whose image is unreachable with why', async () => {
    const sf = await connected('auto');
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      // available_actions' fixture, as media_buy_seller seeds it: its format id names no agent.
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'available_actions_display',
          fixture: {
            name: 'Available Actions Display Package',
            delivery_type: 'non_guaranteed',
            channels: ['display'],
            format_ids: [{ id: 'display_300x250' }],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'available actions display package',
        filters: { channels: ['display'] },
        account: storyboardSandbox,
        brand: { domain: 'acmeoutdoor.example' },
      });
      const [first] = (listed.products ?? []) as Json[];
      expect(first?.product_id, JSON.stringify(listed)).toBe('available_actions_display');
      expect(first.format_ids).toEqual([
        { agent_url: expect.stringMatching(/^https:\/\//), id: 'display_300x250' },
      ]);
      // Bought as the storyboard buys it: a synced creative assigned, a floor-priced option.
      const synced = await agent.call('sync_creatives', {
        account: storyboardSandbox,
        idempotency_key: randomUUID(),
        creatives: [
          {
            creative_id: 'available_actions_display_creative',
            name: 'Available actions display creative',
            format_id: first.format_ids[0],
            assets: {
              image: {
                asset_type: 'image',
                url: 'https://cdn.pinnacle-agency.example/available-actions-display.png',
                width: 300,
                height: 250,
                mime_type: 'image/png',
              },
            },
          },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      const bought = await agent.call('create_media_buy', {
        account: storyboardSandbox,
        brand: { domain: 'acmeoutdoor.example' },
        idempotency_key: randomUUID(),
        start_time: 'asap',
        end_time: '2099-07-31T23:59:59Z',
        packages: [
          {
            product_id: 'available_actions_display',
            pricing_option_id: first.pricing_options[0].pricing_option_id,
            budget: 10_000,
            creative_assignments: [{ creative_id: 'available_actions_display_creative' }],
          },
        ],
      });
      // The image is on a reserved test host, which never resolves: a sandbox order (never
      // approved, never serving) registers it by its URL (an ImageRedirectCreative) on the line.
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const network = gam.networks.get(networkCode)!;
      const creative = [...network.creatives.values()].at(-1)!;
      expect(creative).toMatchObject({
        $type: 'ImageRedirectCreative',
        imageUrl: 'https://cdn.pinnacle-agency.example/available-actions-display.png',
      });
      expect(network.associations.at(-1)).toMatchObject({ creativeId: String(creative['id']) });

      // A live buy's image is uploaded: one whose host does not resolve is refused with why
      // (never "an internal error") when the operator's approval writes it.
      const live = await connected('manual');
      const liveBuyer = await createCustomer(h, { role: 'BUYER' });
      const booked = await bookSports(base, live.platformId, liveBuyer.key, {
        name: 'Unreachable banner',
        url: 'https://cdn.pinnacle-agency.example/live-banner.png',
      });
      await booked.agent.close();
      expect(booked.booked.isError, JSON.stringify(booked.booked)).toBe(false);
      const decided = await approveQueued(h, live.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).not.toBe('all_completed');
      expect(JSON.stringify(decided.body.data.forwardResult)).toMatch(
        /creative's image could not be fetched \(unreachable\)/,
      );
    } finally {
      await agent.close();
    }
  }, 120_000);
});
