import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import {
  agentClient,
  buyOf,
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/**
 * What is shown is what is booked, for a pricing option seeded at a spreadsheet source as the
 * storyboard runner seeds it (issue 70; the ad-server kind's case: ad-servers/
 * gam-sandbox-pricing.test.ts), over MCP: comply_test_controller carries the option of a
 * `seed_pricing_option` in `params.fixture`. media_buy_seller's `lifestyle_display_q2` is seeded
 * without pricing, then `cpm_standard` with a floor of 8: the product lists that floor only, and
 * a buy bidding 12.5 on it books 12.5 in the sheet's own ledger.
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

describe('a floor-priced option seeded at a spreadsheet source', () => {
  it('is listed as its floor, and a buy bidding over it books the bid in the ledger', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header}\n${availRow('real-1', 1_000_000, 20)}`,
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'lifestyle_display_q2',
          fixture: { delivery_type: 'non_guaranteed', channels: ['display'] },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
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
      expect(product?.pricing_options, JSON.stringify(listed)).toEqual([
        expect.objectContaining({ pricing_option_id: 'cpm_standard', floor_price: 8 }),
      ]);
      expect(product.pricing_options[0].fixed_price).toBeUndefined();

      const request = buyOf(product, storyboardSandbox, 600);
      const bought = await agent.call('create_media_buy', {
        ...request,
        packages: request.packages.map((pkg) => ({ ...pkg, bid_price: 12.5 })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const ledger = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
        key: sf.seller.key,
      });
      expect(ledger.status, ledger.text).toBe(200);
      const { holds, bookings } = ledger.body.data as Record<
        'holds' | 'bookings',
        Array<{ availId: string; cpm: number | null }>
      >;
      expect(
        [...holds, ...bookings].map((b) => b.cpm),
        ledger.text,
      ).toEqual([12.5]);
    } finally {
      await agent.close();
    }
  }, 150_000);
});
