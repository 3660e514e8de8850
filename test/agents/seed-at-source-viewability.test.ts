import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, header, modularStorefront } from '../modules/modular-sources/support.js';
import { specViolations } from './adcp31-spec-schemas.js';
import {
  agentClient,
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/**
 * delivery_reporting/viewability_delivery (AdCP 3.1.19, issue 70) when a spreadsheet source holds
 * the storyboard's video fixture, over MCP with the official client: simulate_delivery's
 * viewability block is written as the seller's reports write viewability (modular_delivery), so
 * get_media_buy_delivery answers it in totals and by package, per the spec's schema.
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

describe('viewability of a sandbox buy a spreadsheet source holds', () => {
  it('is simulated as the storyboard sends it and answered with all five fields, adding up over simulations', async () => {
    const sf = await modularStorefront(h);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header}\nvideo,Pre-roll video,video,olv,${day(-1)},${day(120)},20000000,25,USD,video_standard_30s,acmeoutdoor.example`,
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const control = (scenario: string, params: Record<string, unknown>) =>
        agent.call('comply_test_controller', { account: storyboardSandbox, scenario, params });
      // delivery_reporting.yaml's viewability fixture, seeded as the runner seeds it.
      const seeded = await control('seed_product', {
        product_id: 'video_viewability_q2',
        fixture: {
          delivery_type: 'guaranteed',
          channels: ['video'],
          format_ids: [{ id: 'video_15s' }],
          metric_optimization: { supported_metrics: ['viewed_seconds'] },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      await control('seed_pricing_option', {
        product_id: 'video_viewability_q2',
        pricing_option_id: 'vcpm_standard',
        pricing_model: 'vcpm',
        currency: 'USD',
        fixed_price: 14,
      });
      // The runner buys the product at the pricing option the listing gives it.
      const listed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'video_viewability_q2',
      );
      expect(product?.ext?.interchange?.source_id, JSON.stringify(listed)).toBe(sf.sourceId);
      const bought = await agent.call('create_media_buy', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        account: storyboardSandbox,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: [
          {
            product_id: 'video_viewability_q2',
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 20_000,
            optimization_goals: [
              {
                kind: 'metric',
                metric: 'viewed_seconds',
                target: { kind: 'threshold_rate', value: 3 },
                priority: 1,
              },
            ],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // The storyboard's step, as sent.
      const simulated = await control('simulate_delivery', {
        media_buy_id: bought.media_buy_id,
        impressions: 80_000,
        viewability: {
          measurable_impressions: 74_000,
          viewable_impressions: 59_200,
          viewable_rate: 0.8,
          viewed_seconds: 4.3,
          standard: 'mrc',
        },
        reported_spend: { amount: 1030, currency: 'USD' },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      const read = () =>
        agent.call('get_media_buy_delivery', {
          adcp_version: '3.1',
          account: storyboardSandbox,
          media_buy_ids: [bought.media_buy_id],
          include_package_daily_breakdown: true,
        });
      const first = await read();
      expect(specViolations('get_media_buy_delivery', first)).toEqual([]);
      const delivery = (first.media_buy_deliveries as Json[])[0];
      const once = {
        measurable_impressions: 74_000,
        viewable_impressions: 59_200,
        viewable_rate: 0.8,
        viewed_seconds: 4.3,
        standard: 'mrc',
      };
      expect(delivery.totals.viewability, JSON.stringify(first)).toEqual(once);
      expect(delivery.by_package[0].viewability, JSON.stringify(first)).toEqual(once);
      // A 3.0 buyer reads the block too (3.0.6's delivery-metrics has it; viewed_seconds beside).
      const old = await agent.call('get_media_buy_delivery', {
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(
        (old.media_buy_deliveries as Json[])[0].totals.viewability,
        JSON.stringify(old),
      ).toEqual(once);

      // More of it: counts add up, the rate is viewable over measurable, seconds weighted by
      // measurable impressions ((74,000 × 4.3 + 26,000 × 2.3) / 100,000 = 3.78).
      const more = await control('simulate_delivery', {
        media_buy_id: bought.media_buy_id,
        impressions: 30_000,
        viewability: {
          measurable_impressions: 26_000,
          viewable_impressions: 10_800,
          viewed_seconds: 2.3,
          standard: 'mrc',
        },
      });
      expect(more.success, JSON.stringify(more)).toBe(true);
      const second = await read();
      expect(specViolations('get_media_buy_delivery', second)).toEqual([]);
      expect(
        (second.media_buy_deliveries as Json[])[0].totals,
        JSON.stringify(second),
      ).toMatchObject({
        impressions: 110_000,
        viewability: {
          measurable_impressions: 100_000,
          viewable_impressions: 70_000,
          viewable_rate: 0.7,
          viewed_seconds: 3.78,
          standard: 'mrc',
        },
      });

      // Another standard does not add up with the day's MRC figures: refused, nothing written.
      const groupm = await control('simulate_delivery', {
        media_buy_id: bought.media_buy_id,
        impressions: 1_000,
        viewability: { measurable_impressions: 900, viewable_impressions: 500, standard: 'groupm' },
      });
      expect(groupm.success, JSON.stringify(groupm)).toBe(false);
      expect(groupm.error, JSON.stringify(groupm)).toBe('INVALID_PARAMS');
      // Viewable beyond measurable is no viewability at all.
      const over = await control('simulate_delivery', {
        media_buy_id: bought.media_buy_id,
        viewability: { measurable_impressions: 10, viewable_impressions: 20 },
      });
      expect(over.error, JSON.stringify(over)).toBe('INVALID_PARAMS');
      // Delivery without a block adds to the day and leaves its viewability as it was.
      const plain = await control('simulate_delivery', {
        media_buy_id: bought.media_buy_id,
        impressions: 1_000,
      });
      expect(plain.success, JSON.stringify(plain)).toBe(true);
      const third = await read();
      expect((third.media_buy_deliveries as Json[])[0].totals).toMatchObject({
        impressions: 111_000,
        viewability: { measurable_impressions: 100_000, viewable_rate: 0.7, standard: 'mrc' },
      });
    } finally {
      await agent.close();
    }
  }, 150_000);
});
