import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Seller analytics shows what each run left out and why (issue 47, item 2): a get_products over
 * MCP that asks for CTV only (filters.channels) and three products, of a source that answers
 * every channel, leaves the other channels out (channel) and the CTV products below the page
 * (answer_size); the intelligence run counts both and names the first ones.
 */
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

type Product = {
  product_id: string;
  channels?: string[];
  ext?: { interchange?: { upstream_product_id?: string } };
};
type Run = {
  id: string;
  composedProductIds: string[];
  leftOut: {
    total: number;
    byReason: Array<{ reason: string; count: number }>;
    products: Array<{ productId: string; reason: string }>;
  } | null;
};

describe('what a run left out', () => {
  it('counts products left out by channel and by the answer size, with the first ones named', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    let all: Product[];
    let shown: Product[];
    try {
      const everything = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Streaming TV for a sports drink launch',
        pagination: { max_results: 100 },
      });
      expect(everything.isError, JSON.stringify(everything)).toBe(false);
      all = everything.products as Product[];
      // The source answers its whole catalogue whatever the filters say (an agent that does
      // not honour them): the storefront's own matcher leaves the other channels out.
      const catalogue = all.map(({ ext, ...product }) => ({
        ...product,
        product_id: ext!.interchange!.upstream_product_id!,
      }));
      seller.answerInstead!('get_products', { data: { products: catalogue } });
      const narrowed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Streaming TV for a sports drink launch',
        filters: { channels: ['ctv'] },
        pagination: { max_results: 3 },
      });
      expect(narrowed.isError, JSON.stringify(narrowed)).toBe(false);
      shown = narrowed.products as Product[];
    } finally {
      await agent.close();
    }
    const ctv = all.filter((p) => p.channels?.includes('ctv'));
    expect(shown).toHaveLength(3);
    expect(ctv.length).toBeGreaterThan(3);
    expect(all.length).toBeGreaterThan(ctv.length);

    const runs = await eventually(
      () => h.call('GET', '/api/v2/storefront/intelligence-runs', { key: sf.seller.key }),
      (r) =>
        (r.body.data?.items as Run[] | undefined)?.some((run) => run.leftOut !== null) ?? false,
    );
    const items = runs.body.data.items as Run[];
    const run = items.find((r) => r.composedProductIds.length === 3)!;
    expect(run.leftOut).toMatchObject({
      total: all.length - 3,
      byReason: expect.arrayContaining([
        { reason: 'channel', count: all.length - ctv.length },
        { reason: 'answer_size', count: ctv.length - 3 },
      ]),
    });
    expect(run.leftOut!.byReason).toHaveLength(2);
    const named = run.leftOut!.products;
    expect(named.length).toBe(Math.min(20, all.length - 3));
    const display = named.find((p) => p.reason.startsWith('channel'))!;
    expect(all.find((p) => p.product_id === display.productId)?.channels).not.toContain('ctv');
    // The run that showed everything it matched left nothing out and recorded nothing.
    const full = items.find((r) => r.composedProductIds.length === all.length)!;
    expect(full.leftOut).toBeNull();

    const detail = await h.call('GET', `/api/v2/storefront/intelligence-runs/${run.id}`, {
      key: sf.seller.key,
    });
    expect(detail.body.data.leftOut).toEqual(run.leftOut);
  });

  it('records each run of a burst, none of another storefront, and one unwritable record alone', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const other = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      // Six briefs at once: their runs are written together, and so are their left-out records.
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          agent.call('get_products', {
            buying_mode: 'brief',
            brief: `Streaming TV for launch ${i}`,
            pagination: { max_results: 1 },
          }),
        ),
      );
      for (const answer of answers) expect(answer.isError, JSON.stringify(answer)).toBe(false);
    } finally {
      await agent.close();
    }
    const listed = await eventually(
      () => h.call('GET', '/api/v2/storefront/intelligence-runs', { key: sf.seller.key }),
      (r) =>
        ((r.body.data?.items as Run[] | undefined) ?? []).filter((run) => run.leftOut !== null)
          .length >= 6,
    );
    const runs = listed.body.data.items as Run[];
    expect(runs).toHaveLength(6);
    for (const run of runs)
      expect(run.leftOut?.byReason).toContainEqual(
        expect.objectContaining({ reason: 'answer_size' }),
      );

    // Another storefront's seller cannot attach a record to this storefront's run, and a record
    // PostgreSQL cannot store (a NUL in a name) fails alone, not the ones written beside it.
    const [foreign, unwritable, own] = await Promise.allSettled([
      h.services.sellerAnalytics.recordRunLeftOut({
        storefrontId: other.id,
        discoveryRunId: Number(runs[0]!.id),
        leftOut: [{ productId: 'x', reason: 'answer_size' }],
      }),
      h.services.sellerAnalytics.recordRunLeftOut({
        storefrontId: sf.id,
        discoveryRunId: Number(runs[1]!.id) + 1_000_000,
        leftOut: [{ productId: 'bad\u0000name', reason: 'answer_size' }],
      }),
      h.services.sellerAnalytics.recordRunLeftOut({
        storefrontId: sf.id,
        discoveryRunId: Number(runs[2]!.id),
        leftOut: [{ productId: 'again', reason: 'answer_size' }],
      }),
    ]);
    expect(foreign).toEqual({ status: 'fulfilled', value: false });
    expect(unwritable.status).toBe('rejected');
    // Already recorded: written once, never replaced.
    expect(own).toEqual({ status: 'fulfilled', value: false });
    const otherRuns = await h.call('GET', '/api/v2/storefront/intelligence-runs', {
      key: other.seller.key,
    });
    expect(otherRuns.body.data.items).toEqual([]);
  });
});
