import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Sandbox buys as AdCP 3.1's media-buy storyboards check them over MCP with the
 * official client: the reach window, viewability block and vendor metric values the test
 * controller's simulate_delivery injects are reported by get_media_buy_delivery
 * (reach_buy_flow, delivery_reporting/viewability_delivery, vendor_metric_accountability), and
 * billing-measurement terms are judged against what the product itself declares
 * (billing_finality_delivery, whose provisional and final figures are reported as such), and
 * `filters.is_fixed_price` narrows products and their pricing
 * options (creative_fate_after_cancellation's discovery).
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const v31 = { adcp_version: '3.1' };
const attention = { vendor: { domain: 'attentionvendor.example' }, metric_id: 'attention_units' };

async function sandboxBuyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const control = (scenario: string, params: Record<string, unknown>) =>
    agent.call('comply_test_controller', { ...v31, scenario, params, account: sandbox });
  const product = async (id: string, fixture: Record<string, unknown>) => {
    await control('seed_product', {
      product_id: id,
      fixture: { delivery_type: 'guaranteed', channels: ['video'], ...fixture },
    });
    await control('seed_pricing_option', {
      product_id: id,
      pricing_option_id: 'cpm_fixed',
      fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 12 },
    });
  };
  const buy = (id: string, pkg: Record<string, unknown> = {}) =>
    agent.call('create_media_buy', {
      ...v31,
      idempotency_key: randomUUID(),
      account: sandbox,
      brand: { domain: 'test.example' },
      start_time: 'asap',
      end_time: '2099-06-30T23:59:59Z',
      packages: [{ product_id: id, pricing_option_id: 'cpm_fixed', budget: 5000, ...pkg }],
    });
  return { agent, control, product, buy };
}

describe('a sandbox buy simulated by the test controller', () => {
  it(
    "reports the injected reach window, viewability and vendor metric values to a 3.1 buyer, a 3.0 buyer's totals as 3.0.6 has them",
    { timeout: 90_000 },
    async () => {
      const { agent, control, product, buy } = await sandboxBuyer();
      try {
        await product('measured_q2', {
          reporting_capabilities: {
            available_metrics: ['impressions'],
            vendor_metrics: [attention],
          },
        });
        const created = await buy('measured_q2');
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const viewability = {
          measurable_impressions: 74_000,
          viewable_impressions: 59_200,
          viewable_rate: 0.8,
          viewed_seconds: 4.3,
          standard: 'mrc',
        };
        const value = { ...attention, value: 4.2, unit: 'score', measurable_impressions: 72_000 };
        const simulated = await control('simulate_delivery', {
          media_buy_id: created.media_buy_id,
          impressions: 80_000,
          reach: 40_000,
          frequency: 2,
          reach_window: { kind: 'rolling', period: { interval: 7, unit: 'days' } },
          viewability,
          vendor_metric_values: [value],
          reported_spend: { amount: 960, currency: 'USD' },
        });
        expect(simulated.success, JSON.stringify(simulated)).toBe(true);
        const read = (pin: Record<string, unknown>) =>
          agent.call('get_media_buy_delivery', {
            ...pin,
            account: sandbox,
            media_buy_ids: [created.media_buy_id],
          });

        const current = (await read(v31)).media_buy_deliveries[0];
        expect(current.totals).toMatchObject({
          reach: 40_000,
          frequency: 2,
          reach_window: { kind: 'rolling', period: { interval: 7, unit: 'days' } },
          viewability,
          vendor_metric_values: [value],
        });
        expect(current.by_package[0].vendor_metric_values).toEqual([value]);

        // A later value of the same vendor metric replaces the first: one row per metric.
        await control('simulate_delivery', {
          media_buy_id: created.media_buy_id,
          impressions: 1000,
          vendor_metric_values: [{ ...value, value: 5.1 }],
        });
        const later = (await read(v31)).media_buy_deliveries[0];
        expect(later.by_package[0].vendor_metric_values).toEqual([{ ...value, value: 5.1 }]);

        const old = (await read({})).media_buy_deliveries[0];
        // 3.0.6's delivery-metrics has the viewability block; the rest is 3.1's.
        expect(Object.keys(old.totals).sort()).toEqual([
          'clicks',
          'impressions',
          'spend',
          'viewability',
        ]);
        expect(old.totals.viewability).toEqual(viewability);
        expect(old.by_package[0].vendor_metric_values).toBeUndefined();
      } finally {
        await agent.close();
      }
    },
  );
});

describe('billing measurement terms on a sandbox product', () => {
  it(
    'accept the variance a buyer proposes unless the product declares a wider one or it is 0 %, then TERMS_REJECTED',
    { timeout: 90_000 },
    async () => {
      const { agent, product, buy } = await sandboxBuyer();
      try {
        const terms = (variance: number) => ({
          measurement_terms: {
            billing_measurement: {
              vendor: { domain: 'measurementvendor.example' },
              max_variance_percent: variance,
            },
          },
        });
        await product('open_q3', {});
        const accepted = await buy('open_q3', terms(5));
        expect(accepted.isError, JSON.stringify(accepted)).toBe(false);
        expect(accepted.media_buy_id).toEqual(expect.any(String));
        // 0 % against third-party measurement is workable for no seller, declared terms or not
        // (3.0.6 measurement_terms_rejected).
        const exact = await buy('open_q3', terms(0));
        expect(exact.adcp_error).toMatchObject({ code: 'TERMS_REJECTED' });
        expect(JSON.stringify(exact.adcp_error)).toContain('0% is not workable');

        await product('held_q3', terms(10));
        const refused = await buy('held_q3', terms(5));
        expect(refused.adcp_error).toMatchObject({
          code: 'TERMS_REJECTED',
          field: 'packages[0].measurement_terms.billing_measurement.max_variance_percent',
        });
        const wide = await buy('held_q3', terms(15));
        expect(wide.isError, JSON.stringify(wide)).toBe(false);
      } finally {
        await agent.close();
      }
    },
  );
});

describe('billing finality on a sandbox buy', () => {
  it(
    'reports provisional delivery as not final, then final with finalized_at, on the row and its package',
    { timeout: 90_000 },
    async () => {
      const { agent, control, product, buy } = await sandboxBuyer();
      try {
        await product('finality_q3', {});
        const created = await buy('finality_q3');
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const read = async () =>
          (
            await agent.call('get_media_buy_delivery', {
              ...v31,
              account: sandbox,
              media_buy_ids: [created.media_buy_id],
            })
          ).media_buy_deliveries[0];
        const simulate = (params: Record<string, unknown>) =>
          control('simulate_delivery', { media_buy_id: created.media_buy_id, ...params });

        await simulate({ impressions: 90_000, is_final: false, measurement_window: 'post_givt' });
        const provisional = await read();
        expect(provisional.is_final).toBe(false);
        expect(provisional.finalized_at).toBeUndefined();
        expect(provisional.by_package[0]).toMatchObject({
          is_final: false,
          measurement_window: 'post_givt',
        });
        expect(provisional.by_package[0].finalized_at).toBeUndefined();

        const at = '2099-08-03T12:00:00Z';
        await simulate({
          impressions: 10_000,
          is_final: true,
          finalized_at: at,
          measurement_window: 'post_sivt',
        });
        const final = await read();
        expect(final).toMatchObject({ is_final: true, finalized_at: at });
        expect(final.by_package[0]).toMatchObject({
          is_final: true,
          finalized_at: at,
          measurement_window: 'post_sivt',
        });
      } finally {
        await agent.close();
      }
    },
  );
});

describe('get_products filtered on is_fixed_price', () => {
  it(
    'gives a 3.1 buyer only the products, and options, of the pricing type asked for; a 3.0 buyer the products with one, all options kept',
    { timeout: 90_000 },
    async () => {
      const { agent, control } = await sandboxBuyer();
      try {
        const seed = async (id: string, options: Record<string, unknown>[]) => {
          await control('seed_product', {
            product_id: id,
            fixture: {
              delivery_type: 'non_guaranteed',
              channels: ['display'],
              name: `Outdoor ${id}`,
            },
          });
          for (const [n, option] of options.entries()) {
            await control('seed_pricing_option', {
              product_id: id,
              pricing_option_id: `${id}_${n}`,
              fixture: { pricing_model: 'cpm', currency: 'USD', ...option },
            });
          }
        };
        await seed('auction_only', [{ floor_price: 8 }]);
        await seed('both_kinds', [{ floor_price: 1 }, { fixed_price: 10 }]);
        const discover = (pin: Record<string, unknown>, isFixed: boolean) =>
          agent.call('get_products', {
            ...pin,
            buying_mode: 'brief',
            brief: 'Outdoor display',
            filters: { is_fixed_price: isFixed },
            account: sandbox,
          });
        const options = (answer: { products: Array<Record<string, unknown>> }) =>
          Object.fromEntries(
            answer.products
              .filter((p) => ['auction_only', 'both_kinds'].includes(p['product_id'] as string))
              .map((p) => [
                p['product_id'],
                (p['pricing_options'] as Array<{ pricing_option_id: string }>).map(
                  (o) => o.pricing_option_id,
                ),
              ]),
          );
        expect(options(await discover(v31, true))).toEqual({ both_kinds: ['both_kinds_1'] });
        expect(options(await discover(v31, false))).toEqual({
          auction_only: ['auction_only_0'],
          both_kinds: ['both_kinds_0'],
        });
        // A 3.0 buyer's filter keeps the products with a fixed price, each with all its options
        // (3.0.6 filters products, not their options).
        expect(options(await discover({}, true))).toEqual({
          both_kinds: ['both_kinds_0', 'both_kinds_1'],
        });
      } finally {
        await agent.close();
      }
    },
  );
});
