import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, header, modularStorefront } from '../modules/modular-sources/support.js';
import {
  agentClient,
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/**
 * Fixtures seeded through a linked storefront (issue 70; the matrix's `linked-storefront` pair),
 * over MCP with the official client: the downstream's only source is another storefront of the
 * instance (LINKED_STOREFRONT), itself over a spreadsheet, which holds the storyboards' fixtures
 * as sandbox avails. What the buyer seeded at the downstream (the seeded pricing options, the
 * action template) is what the spreadsheet books, two hops away.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

/** A storefront linked (approved) to one over a spreadsheet, and its buyer's sandbox client. */
async function linkedOverSheet() {
  const upstream = await modularStorefront(h);
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  await commitCsv(
    h,
    upstream.seller.key,
    upstream.sourceId,
    [
      header,
      `display,Homepage display,homepage,display,${day(-1)},${day(120)},50000000,12,USD,display_300x250,acmeoutdoor.example`,
      `video,Pre-roll video,video,olv,${day(-1)},${day(120)},20000000,25,USD,video_standard_30s,acmeoutdoor.example`,
    ].join('\n'),
  );
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  const downstream = {
    seller,
    id: sf.body.data.id as number,
    platformId: sf.body.data.platformId as string,
  };
  const agentUrl = (platformId: string) => `${base}/adcp/storefront-${platformId}/mcp`;
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: downstream.seller.key,
    body: {
      name: 'Upstream storefront',
      sourceId: 'linked',
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: agentUrl(upstream.platformId),
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: downstream.seller.key },
    },
  });
  expect(created.status, created.text).toBe(201);
  const active = await h.call('PUT', '/api/v2/storefront/inventory-sources/linked', {
    key: downstream.seller.key,
    body: { status: 'ACTIVE' },
  });
  expect(active.status, active.text).toBe(200);
  const asked = await h.call('POST', '/api/v2/buyer/storefront-links', {
    key: downstream.seller.key,
    body: {
      platformId: upstream.platformId,
      downstream: { agentUrl: agentUrl(downstream.platformId), name: 'Downstream' },
    },
  });
  expect(asked.status, asked.text).toBe(201);
  const approved = await h.call(
    'POST',
    `/api/v2/storefront/link-requests/${String(asked.body.data.id)}/approve`,
    { key: upstream.seller.key },
  );
  expect(approved.status, approved.text).toBe(200);
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  expect(activated.status, activated.text).toBe(200);
  await h.call('POST', `/api/v2/admin/storefronts/${downstream.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, downstream.platformId, buyer.key);
  await syncSandboxAccount(agent);
  const seed = async (scenario: string, params: Record<string, unknown>) => {
    const answer = await agent.call('comply_test_controller', {
      account: storyboardSandbox,
      scenario,
      params,
    });
    expect(answer.success, JSON.stringify(answer)).toBe(true);
    return answer;
  };
  const buy = (productId: string, pricingOptionId: string) =>
    agent.call('create_media_buy', {
      adcp_version: '3.1',
      idempotency_key: randomUUID(),
      account: storyboardSandbox,
      brand: { domain: 'acmeoutdoor.example' },
      start_time: 'asap',
      end_time: '2099-06-30T23:59:59Z',
      packages: [{ product_id: productId, pricing_option_id: pricingOptionId, budget: 5_000 }],
    });
  return { agent, seed, buy };
}

/** Until the downstream's feed mirror holds a confirmed subscription at the upstream. */
async function activeSubscription() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await h.database.queryable.query(
      "select id from feed_mirror_subscriptions where status = 'active'",
    );
    if (rows.length) return;
    if (Date.now() > deadline) throw new Error('no active feed subscription within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a fixture seeded through a linked storefront, held by the spreadsheet upstream', () => {
  it('keeps the pricing options seeded after it when its product is seeded again (idempotency’s test-product)', async () => {
    const { agent, seed, buy } = await linkedOverSheet();
    try {
      // As the matrix seeds it before the storyboards (scripts/compliance/targets.ts), then the
      // idempotency storyboard's own fixtures: the same product and option again.
      const product = {
        product_id: 'test-product',
        fixture: {
          delivery_type: 'non_guaranteed',
          channels: ['display'],
          format_ids: [{ id: 'display_300x250' }],
        },
      };
      const testPricing = {
        product_id: 'test-product',
        pricing_option_id: 'test-pricing',
        fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 1.0 },
      };
      const seeded = await seed('seed_product', product);
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'linked',
      });
      await seed('seed_pricing_option', testPricing);
      await seed('seed_pricing_option', {
        product_id: 'test-product',
        pricing_option_id: 'default',
        fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
      });
      await seed('seed_product', product);
      await seed('seed_pricing_option', testPricing);
      // @adcp/sdk 6.11's runner sends `default` for the storyboard's `test-pricing` placeholder.
      const bought = await buy('test-product', 'default');
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('books at a pricing option the spreadsheet does not price by (delivery_reporting’s vCPM)', async () => {
    const { agent, seed, buy } = await linkedOverSheet();
    try {
      await seed('seed_product', {
        product_id: 'video_viewability_q2',
        fixture: {
          delivery_type: 'guaranteed',
          channels: ['video'],
          format_ids: [{ id: 'video_15s' }],
          metric_optimization: { supported_metrics: ['viewed_seconds'] },
        },
      });
      await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_pricing_option',
        params: {
          product_id: 'video_viewability_q2',
          pricing_option_id: 'vcpm_standard',
          fixture: { pricing_model: 'vcpm', currency: 'USD', fixed_price: 14.0 },
        },
      });
      const bought = await buy('video_viewability_q2', 'vcpm_standard');
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // Its delivery simulated where it is booked, two hops away (the upstream holds no sandbox
      // account of record for the downstream: the buy's account is one the upstream minted).
      const simulated = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'simulate_delivery',
        params: { media_buy_id: bought.media_buy_id, impressions: 5000, clicks: 150 },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('carries the seeded action template to the buy (media_buy_seller/available_actions)', async () => {
    const { agent, seed, buy } = await linkedOverSheet();
    try {
      // An earlier storyboard's discovery: the downstream mirrors the upstream's listing, its
      // feed webhooks subscribed to and the set confirmed under them (so the next read is quiet).
      const list = () =>
        agent.call('get_products', {
          adcp_version: '3.1',
          buying_mode: 'wholesale',
          account: storyboardSandbox,
        });
      expect((await list()).isError).toBe(false);
      await activeSubscription();
      expect((await list()).isError).toBe(false);
      await seed('seed_product', {
        product_id: 'actions-display',
        fixture: {
          delivery_type: 'non_guaranteed',
          channels: ['display'],
          allowed_actions: [
            {
              action: 'increase_budget',
              modes: ['self_serve'],
              sla: { response_max: 'PT5M', completion_max: 'PT1H' },
            },
          ],
          pricing_options: [
            {
              pricing_option_id: 'actions_cpm',
              pricing_model: 'cpm',
              currency: 'USD',
              floor_price: 8,
            },
          ],
        },
      });
      // Listed at once, with its template (available_actions/discover_product_action_template).
      const listed = await list();
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'actions-display',
      );
      expect(product?.allowed_actions, JSON.stringify(listed)).toEqual([
        {
          action: 'increase_budget',
          modes: ['self_serve'],
          sla: { response_max: 'PT5M', completion_max: 'PT1H' },
        },
      ]);
      const bought = await buy('actions-display', 'actions_cpm');
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.available_actions, JSON.stringify(bought)).toContainEqual({
        action: 'increase_budget',
        mode: 'self_serve',
        sla: { response_max: 'PT5M', completion_max: 'PT1H' },
      });
    } finally {
      await agent.close();
    }
  }, 150_000);
});
