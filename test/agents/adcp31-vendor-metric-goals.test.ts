import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's vendor_metric optimization goals on create_media_buy, as
 * vendor_metric_optimization_flow and vendor_metric_catalog_precondition check them over MCP
 * with the official client: a goal the product optimises for, with its reporting committed, is
 * booked; each unmet precondition is TERMS_REJECTED at its field; a metric missing from the
 * vendor's catalog the test controller seeded is refused. @adcp/sdk 6.11 (3.0.6) alone refused
 * every such goal VALIDATION_ERROR.
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
const vendor = { domain: 'attentionvendor.example' };
const metric = (metric_id: string) => ({ vendor, metric_id });
const goal = (metric_id: string, target?: Record<string, unknown>) => ({
  kind: 'vendor_metric',
  ...metric(metric_id),
  ...(target && { target }),
  priority: 1,
});
const committed = (metric_id: string) => [{ scope: 'vendor', ...metric(metric_id) }];

describe('a 3.1 buyer with a vendor_metric goal', () => {
  it(
    'is booked when the product optimises and reports it, and refused TERMS_REJECTED at the unmet precondition',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const control = (scenario: string, params: Record<string, unknown>) =>
          agent.call('comply_test_controller', { ...v31, scenario, params, account: sandbox });
        const seed = async (id: string, reported: string[]) => {
          await control('seed_product', {
            product_id: id,
            fixture: {
              delivery_type: 'non_guaranteed',
              channels: ['display'],
              reporting_capabilities: {
                available_metrics: ['impressions'],
                vendor_metrics: reported.map(metric),
              },
              vendor_metric_optimization: {
                supported_metrics: [
                  { ...metric('attention_score'), supported_targets: ['threshold_rate'] },
                ],
              },
            },
          });
          await control('seed_pricing_option', {
            product_id: id,
            pricing_option_id: 'cpm',
            fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 14 },
          });
        };
        await seed('vm_opt', ['attention_score', 'attention_units']);
        await seed('vm_unreportable', []);
        const buy = (productId: string, pkg: Record<string, unknown>, pin = v31) =>
          agent.call('create_media_buy', {
            ...pin,
            idempotency_key: randomUUID(),
            account: sandbox,
            brand: { domain: 'test.example' },
            start_time: 'asap',
            end_time: '2099-06-30T23:59:59Z',
            packages: [{ product_id: productId, pricing_option_id: 'cpm', budget: 5000, ...pkg }],
          });
        const threshold = { kind: 'threshold_rate', value: 70 };

        const booked = await buy('vm_opt', {
          optimization_goals: [goal('attention_score', threshold)],
          committed_metrics: committed('attention_score'),
        });
        expect(booked.isError, JSON.stringify(booked)).toBe(false);
        expect(booked.media_buy_id).toEqual(expect.any(String));
        const targetless = await buy('vm_opt', {
          optimization_goals: [goal('attention_score')],
          committed_metrics: committed('attention_score'),
        });
        expect(targetless.isError, JSON.stringify(targetless)).toBe(false);

        const refusals: Array<[string, Record<string, unknown>, string]> = [
          [
            'vm_opt',
            {
              optimization_goals: [goal('attention_units')],
              committed_metrics: committed('attention_units'),
            },
            'packages[0].optimization_goals[0].metric_id',
          ],
          [
            'vm_opt',
            {
              optimization_goals: [goal('attention_score', { kind: 'cost_per', value: 0.2 })],
              committed_metrics: committed('attention_score'),
            },
            'packages[0].optimization_goals[0].target.kind',
          ],
          [
            'vm_opt',
            { optimization_goals: [goal('attention_score', threshold)] },
            'packages[0].committed_metrics',
          ],
          [
            'vm_unreportable',
            {
              optimization_goals: [goal('attention_score', threshold)],
              committed_metrics: committed('attention_score'),
            },
            'packages[0].committed_metrics',
          ],
        ];
        for (const [productId, pkg, field] of refusals) {
          const refused = await buy(productId, pkg);
          expect(refused.adcp_error, JSON.stringify(refused)).toMatchObject({
            code: 'TERMS_REJECTED',
            field,
          });
          expect(refused.errors[0]).toMatchObject({ code: 'TERMS_REJECTED', field });
        }

        // The vendor's seeded catalog lacks the metric: refused, as 3.1 recommends.
        const seeded = await control('seed_measurement_catalog', {
          vendor,
          metrics: [{ metric_id: 'attention_baseline', unit: 'score' }],
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        const missing = await buy('vm_opt', {
          optimization_goals: [goal('attention_score', threshold)],
          committed_metrics: committed('attention_score'),
        });
        expect(missing.adcp_error).toMatchObject({
          code: 'TERMS_REJECTED',
          field: 'packages[0].optimization_goals[0].metric_id',
        });

        // The catalog's metric is refused only after the preconditions the product decides.
        const unreportable = await buy('vm_unreportable', {
          optimization_goals: [goal('attention_score', threshold)],
          committed_metrics: committed('attention_score'),
        });
        expect(unreportable.adcp_error).toMatchObject({ field: 'packages[0].committed_metrics' });
        // The next storyboard's fixtures end the seeded catalog: the goal is booked again.
        await seed('vm_next', ['attention_score']);
        const next = await buy('vm_next', {
          optimization_goals: [goal('attention_score', threshold)],
          committed_metrics: committed('attention_score'),
        });
        expect(next.isError, JSON.stringify(next)).toBe(false);

        // A 3.0 request has no vendor_metric goal: its schema refuses one, as before.
        const legacy = await buy(
          'vm_opt',
          { optimization_goals: [goal('attention_score', threshold)] },
          {} as typeof v31,
        );
        expect(legacy.adcp_error?.code ?? legacy.errors?.[0]?.code).toBe('VALIDATION_ERROR');
      } finally {
        await agent.close();
      }
    },
  );
});
