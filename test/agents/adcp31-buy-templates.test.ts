import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1 media_buy_seller storyboards over a storefront's sandbox, through the official MCP
 * client: a buy made from a product that declares allowed_actions[] carries them as its
 * available_actions[] and is judged by them (available_actions), a seeded legacy buy keeps the
 * package id its seed gave (package_correlation_legacy_fallback). A 3.0 buyer's answers unchanged.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller;

// NODE_ENV=production, as storefronts serve: @adcp/sdk then validates no answer against 3.0.6's
// schemas (which require format_ids on every product, a 3.1 answer does not).
beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const pin = { adcp_version: '3.1' };
const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };

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
  return { agent, control };
}

// The storyboard's fixture (available_actions.yaml), as it seeds it.
const allowedActions = [
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
];

describe('a buy of a product that declares allowed_actions, for a 3.1 buyer', () => {
  it('carries them as available_actions and refuses what they do not open, with the reason', async () => {
    const { agent, control } = await buyer();
    try {
      await control('seed_product', {
        product_id: 'aa_display',
        fixture: {
          delivery_type: 'non_guaranteed',
          channels: ['display'],
          format_ids: [{ id: 'display_300x250' }],
          allowed_actions: allowedActions,
        },
      });
      await control('seed_pricing_option', {
        product_id: 'aa_display',
        pricing_option_id: 'aa_cpm',
        fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 8 },
      });
      const create = (extra: Record<string, unknown>) =>
        agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account: sandbox,
          brand: { domain: 'test.example' },
          start_time: 'asap',
          end_time: '2099-07-31T23:59:59Z',
          packages: [{ product_id: 'aa_display', pricing_option_id: 'aa_cpm', budget: 10000 }],
          ...extra,
        });
      const created = await create(pin);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const open = [
        { action: 'increase_budget', mode: 'self_serve', sla: allowedActions[0]!.sla },
        {
          action: 'extend_flight',
          mode: 'requires_approval',
          sla: allowedActions[1]!.sla,
          terms_ref: 'terms://available-actions/extension',
        },
        { action: 'cancel', mode: 'requires_approval', sla: allowedActions[2]!.sla },
      ];
      expect(created.available_actions).toEqual(open);
      expect(created.valid_actions).toBeDefined();
      // A 3.0 buyer's buy of the same product: no 3.1 field.
      expect(await create({})).not.toHaveProperty('available_actions');

      const id = created.media_buy_id as string;
      const packageId = created.packages[0].package_id as string;
      const read = await agent.call('get_media_buys', { ...pin, media_buy_ids: [id] });
      expect(read.media_buys[0].available_actions).toEqual(open);

      const update = (change: Record<string, unknown>) =>
        agent.call('update_media_buy', {
          ...pin,
          account: sandbox,
          media_buy_id: id,
          idempotency_key: randomUUID(),
          ...change,
        });
      const raised = await update({ packages: [{ package_id: packageId, budget: 12000 }] });
      expect(raised.isError, JSON.stringify(raised)).toBe(false);
      expect(raised.available_actions).toEqual(open);

      const refusals = [
        [{ end_time: '2099-08-31T23:59:59Z' }, 'extend_flight', 'mode_mismatch', 'correctable'],
        [{ canceled: true }, 'cancel', 'mode_mismatch', 'correctable'],
        [
          { packages: [{ package_id: packageId, budget: 11000 }] },
          'decrease_budget',
          'wrong_status',
          'correctable',
        ],
        [{ paused: true }, 'pause', 'not_supported_on_product', 'terminal'],
      ] as const;
      for (const [change, action, reason, recovery] of refusals) {
        const refused = await update(change);
        expect(refused.adcp_error, action).toMatchObject({
          code: 'ACTION_NOT_ALLOWED',
          recovery,
          details: { attempted_action: action, reason, currently_available_actions: open },
        });
      }
    } finally {
      await agent.close();
    }
  });
});

describe('a seeded legacy-shaped buy', () => {
  it('keeps the package id its seed gave and its context, without a product for 3.1', async () => {
    const { agent, control } = await buyer();
    try {
      await control('seed_media_buy', {
        media_buy_id: 'legacy_buy',
        fixture: {
          status: 'active',
          currency: 'USD',
          total_budget: 5000,
          packages: [
            {
              package_id: 'pkg_legacy_context_only',
              budget: 5000,
              currency: 'USD',
              context: { buyer_ref: 'legacy-line-001' },
            },
          ],
        },
      });
      const read = (extra: Record<string, unknown>) =>
        agent.call('get_media_buys', { account: sandbox, media_buy_ids: ['legacy_buy'], ...extra });
      const [pkg] = (await read(pin)).media_buys[0].packages;
      expect(pkg.package_id).toBe('pkg_legacy_context_only');
      expect(pkg).not.toHaveProperty('product_id');
      expect(pkg.context).toEqual({ buyer_ref: 'legacy-line-001' });
      const [old] = (await read({})).media_buys[0].packages;
      expect(old.package_id).toBe('pkg_legacy_context_only');
    } finally {
      await agent.close();
    }
  });
});

describe('a product seeded with canonical formats only', () => {
  it('carries no made-up format_ids: none for 3.1, an empty list for 3.0', async () => {
    const { agent, control } = await buyer();
    try {
      const formatOptions = [
        {
          format_kind: 'image',
          format_option_id: 'v2_leaderboard',
          params: { width: 728, height: 90 },
        },
      ];
      await control('seed_product', {
        product_id: 'v2_only_display',
        fixture: {
          delivery_type: 'guaranteed',
          channels: ['display'],
          format_options: formatOptions,
        },
      });
      const find = async (extra: Record<string, unknown>) => {
        const answer = await agent.call('get_products', {
          buying_mode: 'wholesale',
          account: sandbox,
          ...extra,
        });
        return answer.products.find(
          (p: { product_id: string }) => p.product_id === 'v2_only_display',
        );
      };
      const current = await find(pin);
      expect(current).not.toHaveProperty('format_ids');
      expect(current.format_options).toEqual(formatOptions);
      expect((await find({})).format_ids).toEqual([]);
    } finally {
      await agent.close();
    }
  });
});
