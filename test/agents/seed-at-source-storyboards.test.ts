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
});
