import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };

describe('sandbox accounts on a storefront agent', () => {
  it('seeds products with the test controller and buys them without reaching a real source', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const seed = (scenario: string, params: Record<string, unknown>) =>
        agent.call('comply_test_controller', { scenario, params, account: sandbox });
      const refused = await agent.call('comply_test_controller', {
        scenario: 'seed_product',
        params: { product_id: 'x', fixture: {} },
        account: { brand: { domain: 'test.example' }, operator: 'test.example' },
      });
      expect(JSON.stringify(refused)).not.toContain('"success":true');
      expect(
        (
          await seed('seed_product', {
            product_id: 'sports_q2',
            fixture: { delivery_type: 'guaranteed', channels: ['video'] },
          })
        ).success,
      ).toBe(true);
      expect(
        (
          await seed('seed_pricing_option', {
            product_id: 'sports_q2',
            pricing_option_id: 'cpm_g',
            fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 22 },
          })
        ).success,
      ).toBe(true);

      const shown = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: sandbox,
      });
      const seeded = shown.products.find(
        (p: { product_id: string }) => p.product_id === 'sports_q2',
      );
      // The seeded pricing replaces the sandbox's default: the first option is one the book sells.
      expect(seeded).toMatchObject({
        channels: ['olv'],
        pricing_options: [expect.objectContaining({ pricing_option_id: 'cpm_g' })],
        ext: { interchange: { source_id: '~sandbox' } },
      });
      expect(shown.sandbox).toBe(true);
      // Only a sandbox account sees it (issue 70): a live one, or a call naming no account,
      // gets the sources' products alone, claiming no simulated data; another buyer's neither.
      const live = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(live.products.length).toBeGreaterThan(0);
      expect(live.products.map((p: { product_id: string }) => p.product_id)).not.toContain(
        'sports_q2',
      );
      expect(live).not.toHaveProperty('sandbox');
      const other = await createCustomer(h, { role: 'BUYER' });
      const stranger = await agentClient(base, sf.platformId, other.key);
      try {
        const theirs = await stranger.call('get_products', { buying_mode: 'wholesale' });
        expect(theirs.products.map((p: { product_id: string }) => p.product_id)).not.toContain(
          'sports_q2',
        );
        expect(theirs).not.toHaveProperty('sandbox');
      } finally {
        await stranger.close();
      }

      const before = seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length;
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: sandbox,
        brand: { domain: 'test.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [{ product_id: 'sports_q2', pricing_option_id: 'cpm_g', budget: 5000 }],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages[0].product_id).toBe('sports_q2');
      expect(seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length).toBe(before);

      const simulated = await seed('simulate_delivery', {
        media_buy_id: created.media_buy_id,
        impressions: 1200,
        clicks: 7,
      });
      expect(simulated.success).toBe(true);
      const delivery = await agent.call('get_media_buy_delivery', {
        media_buy_ids: [created.media_buy_id],
        account: sandbox,
      });
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 1200,
        clicks: 7,
      });
    } finally {
      await agent.close();
    }
  }, 90_000);

  it('answers a storyboard brief with the seeded products on the sandbox account only, ranked, newest first and buyable', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const seed = (scenario: string, params: Record<string, unknown>) =>
        agent.call('comply_test_controller', { scenario, params, account: sandbox });
      // An earlier storyboard's fixture, with a publisher named as storyboards seed it.
      await seed('seed_product', {
        product_id: 'older_display',
        fixture: {
          delivery_type: 'non_guaranteed',
          channels: ['display'],
          publisher_properties: [{ publisher_domain: 'acmeoutdoor.example' }],
        },
      });
      for (const id of ['display_outdoor_ng', 'video_outdoor_ng']) {
        await seed('seed_product', {
          product_id: id,
          fixture: { delivery_type: 'non_guaranteed', channels: [id.split('_')[0]] },
        });
        await seed('seed_pricing_option', {
          product_id: id,
          pricing_option_id: `cpm_${id}`,
          fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 5 },
        });
      }
      // sales_guaranteed's brief, on the account it names: unflagged, a live account, which
      // never sees a fixture; then on that pair's sandbox account, which does.
      const brief = {
        adcp_version: '3.1',
        buying_mode: 'brief',
        brief:
          'Guaranteed premium video on sports and outdoor lifestyle publishers. Q2 flight, $50K budget.',
      };
      const liveAccount = {
        brand: { domain: 'acmeoutdoor.example' },
        operator: 'pinnacle-agency.example',
      };
      const onLive = await agent.call('get_products', { ...brief, account: liveAccount });
      expect(
        onLive.products.filter(
          (p: { ext: { interchange: { source_id: string } } }) =>
            p.ext.interchange.source_id === '~sandbox',
        ),
      ).toEqual([]);
      const account = { ...liveAccount, sandbox: true };
      const answer = await agent.call('get_products', { ...brief, account });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const ids = answer.products.map((p: { product_id: string }) => p.product_id);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      expect(ids).toEqual(expect.arrayContaining(['display_outdoor_ng', 'video_outdoor_ng']));
      // Ranked by the one brief matcher like every source's products: each says why it matched.
      for (const product of answer.products) {
        expect(product.ext.interchange.match).toMatchObject({ score: expect.any(Number) });
      }
      // A publisher seeded without a selection selects all of it (3.1's schema requires one).
      const older = answer.products.find(
        (p: { product_id: string }) => p.product_id === 'older_display',
      );
      expect(older.publisher_properties).toEqual([
        { publisher_domain: 'acmeoutdoor.example', selection_type: 'all' },
      ]);
      // Among equal matches the newest seed comes first (a storyboard's own fixtures).
      const wholesale = await agent.call('get_products', {
        buying_mode: 'wholesale',
        filters: { channels: ['display'] },
        account,
      });
      const display = wholesale.products.map((p: { product_id: string }) => p.product_id);
      expect(display.indexOf('display_outdoor_ng')).toBeLessThan(display.indexOf('older_display'));
      // What the storyboard captures (products[0..1], their first pricing option) is bought, at
      // each option's minimum spend: ranked by the brief, a source's product may come first.
      const [first, second] = answer.products;
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [first, second].map((p) => ({
          product_id: p.product_id,
          pricing_option_id: p.pricing_options[0].pricing_option_id,
          budget: Math.max(5000, p.pricing_options[0].min_spend_per_package ?? 0),
          // A bid at the floor each option shows (a source's product bids its own floor).
          ...(p.pricing_options[0].floor_price !== undefined && {
            bid_price: Math.max(6, p.pricing_options[0].floor_price),
          }),
        })),
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
    } finally {
      await agent.close();
    }
  }, 90_000);

  it("answers a wholesale feed in the feed's order: a brief sent with it ranks nothing, the newest seed comes first", async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const seed = (scenario: string, params: Record<string, unknown>) =>
        agent.call('comply_test_controller', { scenario, params, account: sandbox });
      const auction = { pricing_model: 'cpm', currency: 'USD', floor_price: 3 };
      // As a 3.1.19 run seeds them: available_actions' product first, then product_signal_targeting's.
      for (const id of ['available_actions_display', 'signal_targeted_display_q2']) {
        await seed('seed_product', {
          product_id: id,
          fixture: {
            delivery_type: 'non_guaranteed',
            channels: ['display'],
            ...(id.startsWith('signal') && {
              signal_targeting_allowed: true,
              signal_targeting_rules: { resolution_model: 'direct_targeting' },
            }),
          },
        });
        await seed('seed_pricing_option', {
          product_id: id,
          pricing_option_id: `${id}_cpm`,
          fixture: auction,
        });
      }
      // product_signal_targeting's discovery step, with the brief the 6.11 runner fills in.
      const runnerBrief = 'Show me all available advertising products across all channels';
      const account = { ...sandbox, brand: { domain: 'acmeoutdoor.example' } };
      const feed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'wholesale',
        brief: runnerBrief,
        filters: { channels: ['display'], is_fixed_price: false },
        account,
      });
      expect(feed.isError, JSON.stringify(feed)).toBe(false);
      const ids = feed.products.map((p: { product_id: string }) => p.product_id);
      // Before: the brief's "available" ranked the older fixture first (its name says it).
      expect(ids.slice(0, 2)).toEqual(['signal_targeted_display_q2', 'available_actions_display']);
      expect(feed.products[0]).toMatchObject({ signal_targeting_allowed: true });
      // The buyer's seeded inventory, then the sources' products (the live seller's follow).
      const sources = feed.products.map(
        (p: { ext: { interchange: { source_id: string } } }) => p.ext.interchange.source_id,
      );
      expect(sources.lastIndexOf('~sandbox')).toBeLessThan(sources.indexOf('real'));
      expect(sources).toContain('real');
      // A brief request is still ranked by its brief.
      const briefed = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'brief',
        brief: runnerBrief,
        filters: { channels: ['display'] },
        account,
      });
      expect(briefed.products[0].product_id).toBe('available_actions_display');
    } finally {
      await agent.close();
    }
  }, 90_000);
});
