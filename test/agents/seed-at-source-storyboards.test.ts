import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import {
  agentClient,
  buyOf,
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/**
 * What the AdCP 3.1.19 media-buy storyboards ask of a fixture a spreadsheet source holds (issue
 * 70), over MCP with the official client: the seeded product's action template
 * (media_buy_seller/available_actions), delivery simulated on a sandbox buy of the sheet's own
 * avail (delivery_reporting), and a seeded product's own properties checked against a property
 * list (inventory_list_targeting).
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

/** A storefront over a spreadsheet selling `real-1` at 20, and a buyer with a sandbox account. */
async function sheetWithSandboxBuyer() {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('real-1', 1_000_000, 20)}`);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  await syncSandboxAccount(agent);
  return { sf, agent };
}

/** available_actions.yaml's fixture: the product's action template, as the storyboard seeds it. */
const seededActions = [
  {
    action: 'increase_budget',
    modes: ['self_serve'],
    sla: { response_max: 'PT5M', completion_max: 'PT1H' },
  },
  {
    action: 'extend_flight',
    modes: ['requires_approval'],
    sla: { response_max: 'PT4H', completion_max: 'P2D' },
    terms_ref: 'terms://available-actions/extension',
  },
  {
    action: 'cancel',
    modes: ['requires_approval'],
    sla: { response_max: 'PT1H', completion_max: 'P1D' },
  },
  { action: 'decrease_budget', modes: ['self_serve'], allowed_statuses: ['paused'] },
  // Not a change a spreadsheet's ledger makes to a buy: never published.
  { action: 'update_targeting', modes: ['self_serve'] },
];

describe('a fixture held by a spreadsheet source, as the 3.1.19 storyboards use it', () => {
  it('publishes the seeded action template as far as the spreadsheet can act on a buy, and its buy is judged by it', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    try {
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'actions-display',
          fixture: {
            name: 'Available actions display fixture',
            delivery_type: 'non_guaranteed',
            channels: ['display'],
            allowed_actions: seededActions,
            pricing_options: [
              {
                pricing_option_id: 'actions_cpm',
                pricing_model: 'cpm',
                currency: 'USD',
                floor_price: 8,
              },
            ],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      const listed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'actions-display',
      );
      expect(product?.ext?.interchange?.source_id, JSON.stringify(listed)).toBe(sf.sourceId);
      expect(product.allowed_actions, JSON.stringify(product)).toEqual(seededActions.slice(0, 4));

      const bought = await agent.call('create_media_buy', {
        ...buyOf(product, storyboardSandbox, 1_000),
        adcp_version: '3.1',
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const actions = (bought.available_actions ?? []) as Json[];
      expect(actions, JSON.stringify(bought)).toContainEqual({
        action: 'extend_flight',
        mode: 'requires_approval',
        sla: { response_max: 'PT4H', completion_max: 'P2D' },
        terms_ref: 'terms://available-actions/extension',
      });
      expect(actions.map((a) => a.action)).not.toContain('pause');
      // What the product never allowed is refused as such; an approval-routed action likewise.
      const update = (patch: Record<string, unknown>) =>
        agent.call('update_media_buy', {
          adcp_version: '3.1',
          account: storyboardSandbox,
          media_buy_id: bought.media_buy_id,
          idempotency_key: randomUUID(),
          ...patch,
        });
      const paused = await update({ paused: true });
      expect(paused.adcp_error?.details, JSON.stringify(paused)).toMatchObject({
        attempted_action: 'pause',
        reason: 'not_supported_on_product',
      });
      const canceled = await update({ canceled: true });
      expect(canceled.adcp_error?.details, JSON.stringify(canceled)).toMatchObject({
        attempted_action: 'cancel',
        reason: 'mode_mismatch',
      });
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('simulates delivery of a sandbox buy the storyboard makes of its seeded products (delivery_reporting), wherever each is held', async () => {
    const sf = await modularStorefront(h);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    const csv = [
      header,
      `display,Homepage display,homepage,display,${day(-1)},${day(120)},50000000,12,USD,display_300x250,acmeoutdoor.example`,
      `video,Pre-roll video,video,olv,${day(-1)},${day(120)},20000000,25,USD,video_standard_30s,acmeoutdoor.example`,
    ].join('\n');
    await commitCsv(h, sf.seller.key, sf.sourceId, csv);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      // delivery_reporting.yaml's fixtures, seeded as the runner seeds them.
      const fixtures = [
        ['outdoor_display_q2', 'display', 'display_300x250', 8],
        ['outdoor_video_q2', 'video', 'video_15s', 12],
      ] as const;
      for (const [productId, channel, format, price] of fixtures) {
        const seeded = await agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'seed_product',
          params: {
            product_id: productId,
            fixture: {
              delivery_type: 'guaranteed',
              channels: [channel],
              format_ids: [{ id: format }],
            },
          },
        });
        // `video` is AdCP's online video: the sheet sells it, so holds the fixture too.
        expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
          fixture_held_by: sf.sourceId,
        });
        await agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'seed_pricing_option',
          params: {
            product_id: productId,
            pricing_option_id: 'cpm_standard',
            pricing_model: 'cpm',
            currency: 'USD',
            fixed_price: price,
          },
        });
      }
      const listed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'brief',
        brief:
          'Display and video inventory on outdoor lifestyle content. Q2 flight, $25K budget. Adults 25-54, US.',
        account: storyboardSandbox,
      });
      const [first, second] = (listed.products ?? []) as Json[];
      // The brief's two picks are the storyboard's fixtures (the sheet's own avails end before
      // its 2099 flight), which the storyboard then buys together.
      expect([first?.product_id, second?.product_id].sort(), JSON.stringify(listed)).toEqual([
        'outdoor_display_q2',
        'outdoor_video_q2',
      ]);
      const bought = await agent.call('create_media_buy', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        account: storyboardSandbox,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: [first, second].map((p, i) => ({
          product_id: p.product_id,
          pricing_option_id: p.pricing_options[0].pricing_option_id,
          budget: i === 0 ? 15_000 : 10_000,
        })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const simulated = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'simulate_delivery',
        params: {
          media_buy_id: bought.media_buy_id,
          impressions: 5000,
          clicks: 150,
          reported_spend: { amount: 250, currency: 'USD' },
        },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      const delivery = await agent.call('get_media_buy_delivery', {
        adcp_version: '3.1',
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      const totals = (delivery.media_buy_deliveries as Json[])?.[0]?.totals;
      expect(totals, JSON.stringify(delivery)).toMatchObject({ impressions: 5000, clicks: 150 });
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('splits the controller’s scenarios on a sandbox buy held by the sheet and the storefront’s own book: delivery by budget, status everywhere', async () => {
    // A sheet that sells display only: the storyboard's video fixture stays on the storefront's
    // book, so delivery_reporting's one buy of both is held at two places.
    const sf = await modularStorefront(h);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header}\ndisplay,Homepage display,homepage,display,${day(-1)},${day(120)},50000000,12,USD,display_300x250,acmeoutdoor.example`,
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const fixtures = [
        ['outdoor_display_q2', 'display', 'display_300x250', 8, sf.sourceId],
        ['outdoor_video_q2', 'video', 'video_15s', 12, '~sandbox'],
      ] as const;
      for (const [productId, channel, format, price, heldBy] of fixtures) {
        const seeded = await agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'seed_product',
          params: {
            product_id: productId,
            fixture: {
              delivery_type: 'guaranteed',
              channels: [channel],
              format_ids: [{ id: format }],
            },
          },
        });
        expect(seeded.ext?.interchange?.fixture_held_by, JSON.stringify(seeded)).toBe(heldBy);
        await agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'seed_pricing_option',
          params: {
            product_id: productId,
            pricing_option_id: 'cpm_standard',
            pricing_model: 'cpm',
            currency: 'USD',
            fixed_price: price,
          },
        });
      }
      const bought = await agent.call('create_media_buy', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        account: storyboardSandbox,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: fixtures.map(([productId], i) => ({
          product_id: productId,
          pricing_option_id: 'cpm_standard',
          budget: i === 0 ? 15_000 : 10_000,
        })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const simulated = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'simulate_delivery',
        params: {
          media_buy_id: bought.media_buy_id,
          impressions: 5001,
          clicks: 150,
          reported_spend: { amount: 250, currency: 'USD' },
        },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      const delivery = await agent.call('get_media_buy_delivery', {
        adcp_version: '3.1',
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      const report = (delivery.media_buy_deliveries as Json[])?.[0];
      expect(report?.totals, JSON.stringify(delivery)).toMatchObject({
        impressions: 5001,
        clicks: 150,
        spend: 250,
      });
      // Each place reports its share, by the budget it holds (15,000 of 25,000 at the sheet).
      const byProduct = Object.fromEntries(
        ((report?.by_package ?? []) as Json[]).map((p) => [p.product_id ?? p.package_id, p]),
      );
      expect(
        ((report?.by_package ?? []) as Json[]).map((p) => p.impressions).sort(),
        JSON.stringify(byProduct),
      ).toEqual([2000, 3001]);
      const forced = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_media_buy_status',
        params: { media_buy_id: bought.media_buy_id, status: 'paused' },
      });
      expect(forced, JSON.stringify(forced)).toMatchObject({
        success: true,
        current_state: 'paused',
      });
      const bad = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_media_buy_status',
        params: { media_buy_id: bought.media_buy_id, status: 'nonsense' },
      });
      expect(bad.success, JSON.stringify(bad)).toBe(false);
      const buys = await agent.call('get_media_buys', {
        adcp_version: '3.1',
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      expect((buys.media_buys as Json[])?.[0]?.status, JSON.stringify(buys)).toBe('paused');
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('serves a fixture on the publishers it was seeded with: the test kit’s lists judge it by them (inventory_list_targeting)', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    try {
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'outdoor-display',
          fixture: {
            name: 'Outdoor display fixture',
            channels: ['display'],
            publisher_properties: [{ publisher_domain: 'outdoormagazine.example' }],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      const listed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'outdoor-display',
      );
      expect(product?.publisher_properties, JSON.stringify(listed)).toEqual([
        { publisher_domain: 'outdoormagazine.example', selection_type: 'all' },
      ]);
      const withList = (listId: string) => {
        const plain = buyOf(product, storyboardSandbox, 700);
        const property_list = {
          agent_url: 'https://governance.pinnacle-agency.example',
          list_id: listId,
        };
        return agent.call('create_media_buy', {
          ...plain,
          adcp_version: '3.1',
          packages: [{ ...plain.packages[0], targeting_overlay: { property_list } }],
        });
      };
      const inside = await withList('acme_outdoor_allowlist_v1');
      expect(inside.isError, JSON.stringify(inside)).toBe(false);
      const outside = await withList('acme_outdoor_no_match_v1');
      expect(outside.adcp_error, JSON.stringify(outside)).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'packages[0].targeting_overlay.property_list',
      });
    } finally {
      await agent.close();
    }
  }, 150_000);
});
