import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let fast: RunningSeller;
let second: RunningSeller;
let slow: RunningSeller;
let doomed: RunningSeller;

beforeAll(async () => {
  // A budget with room for an A2A source's card fetch and call on a loaded two-core machine; the
  // slow source sleeps far past it.
  h = await createHarness({ INTERCHANGE_SOURCE_BUDGET_MS: '4000' });
  base = await listen(h);
  [fast, second, slow, doomed] = await Promise.all([
    startSeller('mcp'),
    startSeller('a2a'),
    startSeller('mcp'),
    startSeller('mcp'),
  ]);
});
afterAll(async () => {
  await Promise.all([fast, second, slow, doomed].map((s) => s?.close()));
  await h.close();
});

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
const nextMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

describe('composition storefront agent', () => {
  it('composes products from its sources, leaving out a slow and a failing one, and records the run', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'alpha', url: fast.url },
      { sourceId: 'beta', url: second.url, protocol: 'A2A' },
      { sourceId: 'sleepy', url: slow.url },
      { sourceId: 'gone', url: doomed.url },
    ]);
    await doomed.close();
    const stallMs = 20_000;
    slow.setDelay(stallMs);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const started = Date.now();
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'CTV for a spring launch',
        brand: { domain: 'acme.example' },
      });
      const elapsed = Date.now() - started;
      expect(answer.isError).toBe(false);
      const ids: string[] = answer.products.map((p: { product_id: string }) => p.product_id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.some((id) => id.startsWith('alpha__'))).toBe(true);
      expect(ids.some((id) => id.startsWith('beta__'))).toBe(true);
      expect(ids.some((id) => id.startsWith('sleepy__') || id.startsWith('gone__'))).toBe(false);
      const failing = answer.errors
        .map((e: { details: { source_id: string } }) => e.details.source_id)
        .sort();
      expect(failing).toEqual(['gone', 'sleepy']);
      // The slow source is cut at the budget (4 s) instead of being waited for (20 s).
      expect(elapsed).toBeLessThan(stallMs);

      // The run is written behind the answer (discovery-runs service), within moments.
      const runs = await vi.waitFor(
        async () => {
          const found = await h.database.queryable.query(
            'select brief, brand_domain, product_ids, source_outcomes from discovery_runs where storefront_id = $1',
            [sf.id],
          );
          expect(found.rows).toHaveLength(1);
          return found;
        },
        { timeout: 15_000, interval: 20 },
      );
      expect(runs.rows[0]).toMatchObject({
        brief: 'CTV for a spring launch',
        brand_domain: 'acme.example',
      });
      expect((runs.rows[0]!['product_ids'] as string[]).sort()).toEqual([...ids].sort());
    } finally {
      await agent.close();
    }
  });

  it('routes a media buy to the source of each package and reads it back', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'alpha', url: fast.url },
      { sourceId: 'beta', url: second.url, protocol: 'A2A' },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const pick = (prefix: string) =>
        products.find((p: { product_id: string }) => p.product_id.startsWith(prefix));
      const a = pick('alpha__');
      const b = pick('beta__');
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        start_time: tomorrow(),
        end_time: nextMonth(),
        packages: [a, b].map((p) => ({
          product_id: p.product_id,
          pricing_option_id: p.pricing_options[0].pricing_option_id,
          budget: 20_000,
        })),
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.media_buy_id).toMatch(/^mb_/);
      expect(created.packages.map((p: { product_id: string }) => p.product_id).sort()).toEqual(
        [a.product_id, b.product_id].sort(),
      );
      const read = await agent.call('get_media_buys', { media_buy_ids: [created.media_buy_id] });
      expect(read.media_buys).toHaveLength(1);
      expect(read.media_buys[0].packages).toHaveLength(2);
      expect(read.media_buys[0].total_budget).toBe(40_000);
      const events = await h.database.queryable.query(
        'select event from merchandising_events where media_buy_id = $1',
        [created.media_buy_id],
      );
      expect(events.rows.map((r) => r['event'])).toEqual(['media_buy_forwarded']);
    } finally {
      await agent.close();
    }
  });
});
