import { comply } from '@adcp/sdk/testing';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, storefrontOverSeller } from './storefront-agent-support.js';

/**
 * comply_test_controller seeds media buys (seed_media_buy, what the pagination-integrity
 * storyboards seed through `fixtures.media_buys`): a sandbox account's buy under the fixture's
 * id, which get_media_buys then answers as any of the buyer's buys, a page at a time. Over MCP
 * and A2A, and graded by @adcp/sdk's own runner on the get_media_buys pagination storyboard.
 */
const at = storefrontOverSeller();

const sandbox = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'acme.example',
  sandbox: true,
};
const seed = (id: string) => ({
  account: sandbox,
  scenario: 'seed_media_buy',
  params: { media_buy_id: id, fixture: { status: 'active', currency: 'USD' } },
});

describe('seed_media_buy', () => {
  it('seeds buys get_media_buys answers, a page at a time, over MCP', async () => {
    const buyer = await createCustomer(at.h, { role: 'BUYER' });
    const agent = await agentClient(at.base, at.platformId, buyer.key);
    try {
      for (const id of ['seeded_mb_1', 'seeded_mb_2', 'seeded_mb_3']) {
        const seeded = await agent.call('comply_test_controller', seed(id));
        expect(seeded.isError, JSON.stringify(seeded)).toBe(false);
        expect(seeded.success).toBe(true);
      }
      // A re-seed of the same id keeps the one buy.
      expect((await agent.call('comply_test_controller', seed('seeded_mb_1'))).success).toBe(true);

      const one = await agent.call('get_media_buys', { media_buy_ids: ['seeded_mb_2'] });
      expect(one.isError, JSON.stringify(one)).toBe(false);
      expect(one.media_buys.map((b: { media_buy_id: string }) => b.media_buy_id)).toEqual([
        'seeded_mb_2',
      ]);
      expect(one.media_buys[0].currency).toBe('USD');
      expect(one.pagination).toEqual({ has_more: false, total_count: 1 });

      const first = await agent.call('get_media_buys', { pagination: { max_results: 2 } });
      expect(first.media_buys).toHaveLength(2);
      expect(first.pagination.has_more).toBe(true);
      expect(first.pagination.total_count).toBe(3);
      const rest = await agent.call('get_media_buys', {
        pagination: { max_results: 2, cursor: first.pagination.cursor },
      });
      expect(rest.media_buys).toHaveLength(1);
      expect(rest.pagination).toEqual({ has_more: false, total_count: 3 });
      const ids = [...first.media_buys, ...rest.media_buys].map(
        (b: { media_buy_id: string }) => b.media_buy_id,
      );
      expect(ids.sort()).toEqual(['seeded_mb_1', 'seeded_mb_2', 'seeded_mb_3']);

      const forged = await agent.call('get_media_buys', { pagination: { cursor: 'bm9wZQ' } });
      expect(forged.isError).toBe(true);
      expect(JSON.stringify(forged)).toContain('pagination.cursor');
    } finally {
      await agent.close();
    }

    // Another buyer cannot seed over it, nor see it.
    const other = await createCustomer(at.h, { role: 'BUYER' });
    const intruder = await agentClient(at.base, at.platformId, other.key);
    try {
      const taken = await intruder.call('comply_test_controller', seed('seeded_mb_1'));
      expect(JSON.stringify(taken)).toContain('taken');
      expect(taken.success).not.toBe(true);
      const none = await intruder.call('get_media_buys', { media_buy_ids: ['seeded_mb_1'] });
      expect(none.media_buys).toEqual([]);
    } finally {
      await intruder.close();
    }
  }, 90_000);

  it('seeds a buy over A2A', async () => {
    const buyer = await createCustomer(at.h, { role: 'BUYER' });
    const agent = await a2aBuyer(at.base, at.platformId, buyer.key);
    const seeded = await agent.call('comply_test_controller', seed('a2a_seeded_mb'));
    expect(seeded.success, JSON.stringify(seeded)).toBe(true);
    const read = await agent.call('get_media_buys', { media_buy_ids: ['a2a_seeded_mb'] });
    expect(read.media_buys.map((b: { media_buy_id: string }) => b.media_buy_id)).toEqual([
      'a2a_seeded_mb',
    ]);
  }, 60_000);

  it('passes the get_media_buys pagination-integrity storyboard (@adcp/sdk runner)', async () => {
    const buyer = await createCustomer(at.h, { role: 'BUYER' });
    const result = await comply(`${at.base}/adcp/storefront-${at.platformId}/mcp`, {
      protocol: 'mcp',
      auth: { type: 'bearer', token: buyer.key },
      storyboards: ['get_media_buys_pagination_integrity'],
      allow_http: true,
      timeout_ms: 60_000,
    });
    const steps = result.tracks.flatMap((t) => t.scenarios.flatMap((s) => s.steps ?? []));
    const failed = steps.filter((s) => s.passed !== true);
    expect(failed.map((s) => `${s.step}: ${s.error ?? JSON.stringify(s.details)}`)).toEqual([]);
    expect(steps.length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
