import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's rejections of what a product cannot serve, with the field that is wrong (the
 * media_buy_seller storyboards' rejection steps: reach_buy_flow, completed_views_buy_flow,
 * performance_buy_flow(_roas), audience_buy_flow, measurement_terms_rejected, proposal_finalize,
 * refine_finalize_exclusivity, schema_validation's past start), and list_creative_formats
 * filtered by format_id. Over MCP with the official client; a 3.0 buyer's answers unchanged.
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

const pin = { adcp_version: '3.1' };
const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const flight = { start_time: 'asap', end_time: '2099-06-30T23:59:59Z' };

async function buyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
  const customer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, customer.key);
  const control = async (scenario: string, params: Record<string, unknown>) => {
    const answer = await agent.call('comply_test_controller', {
      scenario,
      params,
      account: sandbox,
    });
    expect(answer.success, JSON.stringify(answer)).toBe(true);
  };
  /** Seeds a sandbox product (fixture as the storyboards write it) with an auction CPM option. */
  const seed = async (productId: string, fixture: Record<string, unknown>) => {
    await control('seed_product', { product_id: productId, fixture });
    await control('seed_pricing_option', {
      product_id: productId,
      pricing_option_id: 'auction_cpm',
      fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 2 },
    });
  };
  /** A 3.1 sandbox buy of one package of `productId` with `extra` on the package. */
  const buy = (productId: string, extra: Record<string, unknown>, top = {}) =>
    agent.call('create_media_buy', {
      ...pin,
      idempotency_key: randomUUID(),
      account: sandbox,
      brand: { domain: 'test.example' },
      ...flight,
      packages: [
        { product_id: productId, pricing_option_id: 'auction_cpm', budget: 5000, ...extra },
      ],
      ...top,
    });
  return { agent, seed, buy };
}

const video = {
  delivery_type: 'non_guaranteed',
  channels: ['video'],
  format_ids: [{ id: 'video_30s' }],
};

describe('a 3.1 buyer asking a product for what it cannot serve', () => {
  it('is refused a reach unit or view duration the product does not support, at the field', async () => {
    const { agent, seed, buy } = await buyer();
    try {
      await seed('reach_ctv', {
        ...video,
        metric_optimization: {
          supported_metrics: ['reach'],
          supported_reach_units: ['households'],
        },
      });
      const reach = (unit: string) => ({
        optimization_goals: [{ kind: 'metric', metric: 'reach', reach_unit: unit, priority: 1 }],
      });
      const devices = await buy('reach_ctv', reach('devices'));
      expect(devices.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].optimization_goals[0].reach_unit',
      });
      const households = await buy('reach_ctv', reach('households'));
      expect(households.isError, JSON.stringify(households)).toBe(false);
      expect(households.media_buy_id).toBeTruthy();

      await seed('cpcv_video', video);
      const views = (seconds: number) => ({
        optimization_goals: [
          {
            kind: 'metric',
            metric: 'completed_views',
            view_duration_seconds: seconds,
            target: { kind: 'cost_per', value: 0.05 },
          },
        ],
      });
      const long = await buy('cpcv_video', views(999));
      expect(long.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].optimization_goals[0].view_duration_seconds',
      });
      expect((await buy('cpcv_video', views(6))).isError).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('is refused a ROAS goal without a value field, and audiences or event sources nothing bound', async () => {
    const { agent, seed, buy } = await buyer();
    try {
      await seed('native_q2', { delivery_type: 'non_guaranteed', channels: ['display'] });
      const goal = (target: string, source: Record<string, unknown>) => ({
        optimization_goals: [
          {
            kind: 'event',
            event_sources: [{ event_source_id: 'acme_site', event_type: 'purchase', ...source }],
            target: { kind: target, value: 4 },
          },
        ],
      });
      const roas = await buy('native_q2', goal('per_ad_spend', {}));
      expect(roas.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].optimization_goals[0].event_sources[0].value_field',
      });
      // The sandbox's seller is the storefront's own book: it takes no event sources or audiences.
      const cpa = await buy('native_q2', goal('cost_per', { value_field: 'order_total' }));
      expect(cpa.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].optimization_goals[0].event_sources[0].event_source_id',
      });
      const audience = await buy('native_q2', {
        targeting_overlay: { audience_include: ['phantom_audience'] },
      });
      expect(audience.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].targeting_overlay.audience_include[0]',
      });
    } finally {
      await agent.close();
    }
  });

  it('is refused a flight starting in the past, which a 3.0 buyer is not', async () => {
    const { agent, seed, buy } = await buyer();
    try {
      await seed('display_q2', { delivery_type: 'non_guaranteed', channels: ['display'] });
      const past = { start_time: '2020-01-01T00:00:00Z', context: { correlation_id: 'past' } };
      const refused = await buy('display_q2', {}, past);
      expect(refused.adcp_error).toMatchObject({ code: 'INVALID_REQUEST', field: 'start_time' });
      expect(refused.context).toEqual({ correlation_id: 'past' });
      const legacy = await buy('display_q2', {}, { ...past, adcp_version: undefined });
      expect(legacy.isError, JSON.stringify(legacy)).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it("is refused measurement terms a source's product does not report, TERMS_REJECTED", async () => {
    const { agent } = await buyer();
    try {
      const account = { account_id: 'acme_media' };
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale', account });
      const order = buyOf(products[0], account);
      const terms = {
        billing_measurement: {
          vendor: { domain: 'videoamp.example' },
          measurement_window: 'c28',
          max_variance_percent: 0,
        },
      };
      const aggressive = {
        ...order,
        ...pin,
        packages: [{ ...order.packages[0]!, measurement_terms: terms }],
      };
      const refused = await agent.call('create_media_buy', aggressive);
      expect(refused.adcp_error).toMatchObject({
        code: 'TERMS_REJECTED',
        field: 'packages[0].measurement_terms.billing_measurement.measurement_window',
      });
      expect(refused.adcp_error.recovery).toBe('correctable');
    } finally {
      await agent.close();
    }
  });
});

describe('a 3.1 buyer refining', () => {
  it('is refused finalize mixed with other entries, and a proposal it does not hold', async () => {
    const { agent } = await buyer();
    try {
      const refine = (entries: unknown[]) =>
        agent.call('get_products', { ...pin, buying_mode: 'refine', refine: entries });
      const mixed = await refine([
        { scope: 'proposal', proposal_id: 'prop_x', action: 'finalize' },
        { scope: 'request', ask: 'Also more CTV' },
      ]);
      expect(mixed.adcp_error).toMatchObject({ code: 'INVALID_REQUEST', field: 'refine[1]' });
      const unknown = await refine([
        { scope: 'proposal', proposal_id: 'prop_unknown', action: 'finalize' },
      ]);
      expect(unknown.adcp_error).toMatchObject({
        code: 'PROPOSAL_NOT_FOUND',
        field: 'refine[0].proposal_id',
        recovery: 'correctable',
      });
      // proposal_finalize/unknown_proposal_references: a refine (no finalize) names the entry too.
      const asked = await refine([
        { scope: 'proposal', proposal_id: 'prop_unknown', ask: 'Shift budget toward video.' },
      ]);
      expect(asked.adcp_error).toMatchObject({
        code: 'PROPOSAL_NOT_FOUND',
        field: 'refine[0].proposal_id',
      });
      // refine_finalize_exclusivity/non_proposal_finalize_rejected: finalize is not a product
      // entry's action; a schema violation is INVALID_REQUEST for 3.1, VALIDATION_ERROR for 3.0.
      const productFinalize = [{ scope: 'product', product_id: 'p_1', action: 'finalize' }];
      const invalid = await refine(productFinalize);
      expect(invalid).toMatchObject({ isError: true, adcp_error: { code: 'INVALID_REQUEST' } });
      expect(invalid.errors[0].code).toBe('INVALID_REQUEST');
      const legacy = await agent.call('get_products', {
        buying_mode: 'refine',
        refine: productFinalize,
      });
      expect(legacy.adcp_error?.code).toBe('VALIDATION_ERROR');
    } finally {
      await agent.close();
    }
  });
});

describe('list_creative_formats filtered by format_id', () => {
  it("answers exactly the product's format, whatever the source's first page holds", async () => {
    const { agent } = await buyer();
    try {
      const all = await agent.call('list_creative_formats', {});
      expect(all.formats.length).toBeGreaterThan(1);
      const last = all.formats[all.formats.length - 1].format_id;
      for (const pinned of [pin, {}]) {
        const filtered = await agent.call('list_creative_formats', {
          ...pinned,
          format_ids: [last],
          pagination: { max_results: 1 },
        });
        expect(filtered.formats.map((f: { format_id: unknown }) => f.format_id)).toEqual([last]);
      }
    } finally {
      await agent.close();
    }
  });
});

describe('a 3.1 buyer targeting a product signal', () => {
  it('is refused a product signal the product does not offer, at its signal_ref', async () => {
    const { agent, seed, buy } = await buyer();
    try {
      await seed('signals_display', {
        delivery_type: 'non_guaranteed',
        channels: ['display'],
        format_ids: [{ id: 'display_300x250' }],
        signal_targeting_allowed: true,
        signal_targeting_options: [
          { signal_ref: { scope: 'product', signal_id: 'in_market_auto' } },
        ],
      });
      const targeting = (signalId: string) => ({
        bid_price: 4.25,
        targeting_overlay: {
          signal_targeting_groups: {
            operator: 'all',
            groups: [
              {
                operator: 'any',
                signals: [
                  {
                    signal_ref: { scope: 'product', signal_id: signalId },
                    value_type: 'binary',
                    value: true,
                  },
                ],
              },
            ],
          },
        },
      });
      const phantom = await buy('signals_display', targeting('phantom_signal_not_advertised'));
      expect(phantom.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field:
          'packages[0].targeting_overlay.signal_targeting_groups.groups[0].signals[0].signal_ref',
      });
      const offered = await buy('signals_display', targeting('in_market_auto'));
      expect(offered.isError, JSON.stringify(offered)).toBe(false);
    } finally {
      await agent.close();
    }
  });
});
