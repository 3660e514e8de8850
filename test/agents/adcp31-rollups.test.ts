import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's seller-level rollups of a storefront's products on get_adcp_capabilities
 * (media_buy.supported_optimization_metrics, media_buy.vendor_metric_optimization), over MCP with
 * the official client: a 3.1 caller sees what the products it would be sold support, and a new
 * source catalog moves them; a 3.0 caller sees none; a buyer's seeded sandbox products count for
 * that buyer alone. Source answers are kept 5 s (INTERCHANGE_SOURCE_ANSWER_TTL_MS): the window a
 * rollup over a seller publishing no feed version follows.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '5000' });
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
type Product = Record<string, unknown> & { metric_optimization?: { supported_metrics: string[] } };

async function buyerOn(platformId: string) {
  const customer = await createCustomer(h, { role: 'BUYER' });
  return agentClient(base, platformId, customer.key);
}

const sellerProductCalls = () => seller.toolCalls().filter((c) => c.tool === 'get_products').length;

describe('3.1 capability rollups of a storefront’s products', () => {
  it('declares to a 3.1 caller the metrics its sources’ products optimise for, to a 3.0 caller none', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const agent = await buyerOn(sf.platformId);
    try {
      const before = sellerProductCalls();
      const caps31 = await agent.call('get_adcp_capabilities', v31);
      // The demo seller's display products optimise for clicks and views, video for completions;
      // no product optimises for a vendor's metric, so that rollup is omitted (no guarantee).
      expect(caps31.media_buy.supported_optimization_metrics).toEqual([
        'clicks',
        'views',
        'completed_views',
      ]);
      expect(caps31.media_buy).not.toHaveProperty('vendor_metric_optimization');
      // In sync with the catalog: every metric declared is one a product the buyer is sold lists.
      const listing = await agent.call('get_products', { ...v31, buying_mode: 'wholesale' });
      const listed = new Set(
        (listing.products as Product[]).flatMap((p) => p.metric_optimization?.supported_metrics),
      );
      for (const metric of caps31.media_buy.supported_optimization_metrics) {
        expect(listed.has(metric), metric).toBe(true);
      }
      // Cheap: the next capabilities calls are answered from the rollup kept for this state.
      await agent.call('get_adcp_capabilities', v31);
      await agent.call('get_adcp_capabilities', v31);
      // One listing for the first rollup and one for get_products (or two, if a window closed).
      expect(sellerProductCalls() - before).toBeLessThanOrEqual(3);
      const caps30 = await agent.call('get_adcp_capabilities', {});
      expect(caps30.media_buy).not.toHaveProperty('supported_optimization_metrics');
      expect(caps30.media_buy).not.toHaveProperty('vendor_metric_optimization');
    } finally {
      await agent.close();
    }
  });

  it('follows a source whose catalog changes', { timeout: 60_000 }, async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'changing', url: seller.url }]);
    const agent = await buyerOn(sf.platformId);
    try {
      const first = await agent.call('get_adcp_capabilities', v31);
      expect(first.media_buy.supported_optimization_metrics).toContain('clicks');
      // The seller now sells one product, optimising for reach and for a vendor's attention.
      const listing = await agent.call('get_products', { buying_mode: 'wholesale' });
      const { ext: _ext, ...template } = (listing.products as Product[])[0]!;
      seller.answerInstead!('get_products', {
        data: {
          products: [
            {
              ...template,
              product_id: 'reach_only',
              metric_optimization: {
                supported_metrics: ['reach'],
                supported_reach_units: ['individuals'],
              },
              vendor_metric_optimization: {
                supported_metrics: [
                  {
                    vendor: { domain: 'attentionvendor.example' },
                    metric_id: 'attention_score',
                    supported_targets: ['threshold_rate'],
                  },
                ],
              },
            },
          ],
        },
      });
      let caps = first;
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        caps = await agent.call('get_adcp_capabilities', v31);
        if (caps.media_buy.vendor_metric_optimization) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(caps.media_buy.supported_optimization_metrics).toEqual(['reach']);
      expect(caps.media_buy.vendor_metric_optimization).toEqual({
        supported_targets: ['threshold_rate'],
      });
    } finally {
      await agent.close();
      seller.answerInstead!('get_products', { data: {} }, 0);
    }
  });

  it('counts a buyer’s seeded sandbox products for that buyer only', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'seeded', url: seller.url }]);
    const [seeding, other] = await Promise.all([buyerOn(sf.platformId), buyerOn(sf.platformId)]);
    try {
      await seeding.call('get_adcp_capabilities', v31);
      const wholesale = { ...v31, buying_mode: 'wholesale' };
      const feedBefore = await seeding.call('get_products', wholesale);
      const seeded = await seeding.call('comply_test_controller', {
        ...v31,
        account: sandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'vm_attention',
          fixture: {
            delivery_type: 'non_guaranteed',
            channels: ['display'],
            metric_optimization: { supported_metrics: ['engagements'] },
            vendor_metric_optimization: {
              supported_metrics: [
                {
                  vendor: { domain: 'attentionvendor.example' },
                  metric_id: 'attention_score',
                  supported_targets: ['cost_per', 'threshold_rate'],
                },
              ],
            },
          },
        },
      });
      expect(seeded.isError, JSON.stringify(seeded)).toBe(false);
      const mine = await seeding.call('get_adcp_capabilities', v31);
      expect(mine.media_buy.supported_optimization_metrics).toContain('engagements');
      expect(mine.media_buy.vendor_metric_optimization).toEqual({
        supported_targets: ['cost_per', 'threshold_rate'],
      });
      // The seeded product is in the buyer's wholesale feed: its version moved with it.
      const feedAfter = await seeding.call('get_products', wholesale);
      expect(feedAfter.wholesale_feed_version).not.toBe(feedBefore.wholesale_feed_version);
      const theirs = await other.call('get_adcp_capabilities', v31);
      expect(theirs.media_buy.supported_optimization_metrics).not.toContain('engagements');
      expect(theirs.media_buy).not.toHaveProperty('vendor_metric_optimization');
    } finally {
      await Promise.all([seeding.close(), other.close()]);
    }
  });
});
