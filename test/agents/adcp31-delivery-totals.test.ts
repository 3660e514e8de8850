import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * A buy's delivery totals for a 3.1 buyer carry the rates AdCP defines over what its sources
 * report (clicks_buy_flow's clicks_delivery: `totals.cost_per_click`, spend / clicks), computed
 * from the buy's sums, and reach, frequency and completed views (reach_buy_flow,
 * frequency_cap_enforcement, completed_views_buy_flow); a 3.0 buyer's totals are as before 3.1.
 * Over MCP with the official client, on a sandbox buy whose delivery the test controller
 * simulates.
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

describe('delivery totals', () => {
  it(
    'give a 3.1 buyer ctr, cost_per_click and cpm from the sums; a 3.0 buyer as before',
    { timeout: 90_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const seed = (scenario: string, params: Record<string, unknown>) =>
          agent.call('comply_test_controller', { scenario, params, account: sandbox });
        await seed('seed_product', {
          product_id: 'clicks_q2',
          fixture: { delivery_type: 'non_guaranteed', channels: ['display'] },
        });
        await seed('seed_pricing_option', {
          product_id: 'clicks_q2',
          pricing_option_id: 'cpm_d',
          fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
        });
        const created = await agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account: sandbox,
          brand: { domain: 'test.example' },
          start_time: 'asap',
          end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          packages: [{ product_id: 'clicks_q2', pricing_option_id: 'cpm_d', budget: 5000 }],
        });
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const simulated = await seed('simulate_delivery', {
          media_buy_id: created.media_buy_id,
          impressions: 20_000,
          clicks: 40,
          reported_spend: { amount: 200, currency: 'USD' },
        });
        expect(simulated.success, JSON.stringify(simulated)).toBe(true);
        const read = (extra: Record<string, unknown>) =>
          agent.call('get_media_buy_delivery', {
            media_buy_ids: [created.media_buy_id],
            account: sandbox,
            ...extra,
          });

        const old = await read({});
        const current = await read({ adcp_version: '3.1' });
        const oldTotals = old.media_buy_deliveries[0].totals;
        expect(Object.keys(oldTotals).sort()).toEqual(['clicks', 'impressions', 'spend']);
        expect(oldTotals).toMatchObject({ impressions: 20_000, clicks: 40 });
        const spend = oldTotals.spend as number;
        expect(spend).toBeGreaterThan(0);
        expect(current.media_buy_deliveries[0].totals).toEqual({
          ...oldTotals,
          ctr: 0.002,
          cost_per_click: Math.round((spend / 40) * 100) / 100,
          cpm: Math.round((spend / 20_000) * 1000 * 100) / 100,
        });
      } finally {
        await agent.close();
      }
    },
  );

  it(
    "give a 3.1 buyer reach and frequency within the buy's frequency cap, and completed views with their rate",
    { timeout: 90_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const seed = (scenario: string, params: Record<string, unknown>) =>
          agent.call('comply_test_controller', { scenario, params, account: sandbox });
        await seed('seed_product', {
          product_id: 'capped_q2',
          fixture: {
            delivery_type: 'non_guaranteed',
            channels: ['olv'],
            metric_optimization: {
              supported_metrics: ['reach'],
              supported_reach_units: ['households', 'individuals'],
            },
          },
        });
        await seed('seed_pricing_option', {
          product_id: 'capped_q2',
          pricing_option_id: 'cpm_d',
          fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
        });
        const buy = async (pkg: Record<string, unknown>) => {
          const created = await agent.call('create_media_buy', {
            adcp_version: '3.1',
            idempotency_key: randomUUID(),
            account: sandbox,
            brand: { domain: 'test.example' },
            start_time: 'asap',
            end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
            packages: [
              { product_id: 'capped_q2', pricing_option_id: 'cpm_d', budget: 5000, ...pkg },
            ],
          });
          expect(created.isError, JSON.stringify(created)).toBe(false);
          return created.media_buy_id as string;
        };
        const totalsOf = async (mediaBuyId: string) => {
          const read = await agent.call('get_media_buy_delivery', {
            adcp_version: '3.1',
            media_buy_ids: [mediaBuyId],
            account: sandbox,
          });
          return read.media_buy_deliveries[0].totals;
        };

        // frequency_cap_enforcement: only impressions are simulated; the cap bounds frequency.
        const capped = await buy({
          targeting_overlay: {
            frequency_cap: {
              max_impressions: 3,
              per: 'individuals',
              window: { interval: 1, unit: 'days' },
            },
          },
        });
        const simulated = await seed('simulate_delivery', {
          media_buy_id: capped,
          impressions: 8550,
          reported_spend: { amount: 1500, currency: 'USD' },
        });
        expect(simulated.success, JSON.stringify(simulated)).toBe(true);
        const cappedTotals = await totalsOf(capped);
        expect(cappedTotals).toMatchObject({
          impressions: 8550,
          reach: 2850,
          reach_unit: 'individuals',
          frequency: 3,
        });

        // reach_buy_flow and completed_views_buy_flow: the figures simulated, in the goal's unit.
        const reach = await buy({
          optimization_goals: [
            { kind: 'metric', metric: 'reach', reach_unit: 'households', priority: 1 },
          ],
        });
        await seed('simulate_delivery', {
          media_buy_id: reach,
          impressions: 500_000,
          reach: 250_000,
          frequency: 2,
          completed_views: 350_000,
          reported_spend: { amount: 14_000, currency: 'USD' },
        });
        expect(await totalsOf(reach)).toMatchObject({
          impressions: 500_000,
          reach: 250_000,
          reach_unit: 'households',
          frequency: 2,
          completed_views: 350_000,
          completion_rate: 0.7,
        });

        // An uncapped buy given no reach reports none (no figure is made up).
        const plain = await buy({});
        await seed('simulate_delivery', { media_buy_id: plain, impressions: 1000 });
        expect(await totalsOf(plain)).not.toHaveProperty('reach');
      } finally {
        await agent.close();
      }
    },
  );
});
