import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  // Answers reused for 30 s: nothing in this file expires by itself.
  h = await createHarness({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '30000' });
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

const productCalls = () => seller.toolCalls().filter((c) => c.tool === 'get_products').length;

describe('storefront agent reusing sources’ answers (INTERCHANGE_SOURCE_ANSWER_TTL_MS)', () => {
  it('answers a buyer’s identical request from its own recent answer, never another buyer’s, and asks again once the source changes', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const [first, second] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const a = await agentClient(base, sf.platformId, first.key);
    const b = await agentClient(base, sf.platformId, second.key);
    const ask = { buying_mode: 'brief', brief: 'CTV for a spring launch' };
    const idsOf = (answer: { products: Array<{ product_id: string }> }) =>
      answer.products.map((p) => p.product_id);
    try {
      const before = productCalls();
      const fresh = await a.call('get_products', ask);
      expect(idsOf(fresh).length).toBeGreaterThan(0);
      const reused = await a.call('get_products', ask);
      expect(idsOf(reused)).toEqual(idsOf(fresh));
      expect(productCalls()).toBe(before + 1);

      // Another buyer, the same words: the source is asked for that buyer.
      await b.call('get_products', ask);
      expect(productCalls()).toBe(before + 2);
      // Another request from the first buyer: asked too.
      await a.call('get_products', { buying_mode: 'brief', brief: 'Audio in Germany' });
      expect(productCalls()).toBe(before + 3);

      // A product rule applies at once to a reused answer (rules run after the cache).
      const excluded = idsOf(fresh)[0]!;
      const rule = await h.call('POST', '/api/v2/storefront/product-rules', {
        key: sf.seller.key,
        body: { name: 'Not this one', kind: 'exclude', match: { productIds: [excluded] } },
      });
      expect(rule.status).toBe(201);
      const shaped = await a.call('get_products', ask);
      expect(productCalls()).toBe(before + 3);
      expect(idsOf(shaped)).not.toContain(excluded);
      expect(idsOf(shaped)).toHaveLength(idsOf(fresh).length - 1);

      // The operator edits the source: its next answer is asked for.
      const edited = await h.call('PUT', '/api/v2/storefront/inventory-sources/alpha', {
        key: sf.seller.key,
        body: { name: 'Alpha, renamed' },
      });
      expect(edited.status).toBe(200);
      await a.call('get_products', ask);
      expect(productCalls()).toBe(before + 4);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('asks the source once for a burst of a buyer’s identical requests in flight together', async () => {
    // Answers kept for 1 ms only, and a seller answering 3 s late (within a source budget far
    // longer): all four requests wait on the source together, even on a loaded machine that
    // spreads their arrival, and none of them could have been served by a stored answer. One
    // call for the burst is the shared in-flight load, not the TTL cache.
    const brief = await createHarness({
      INTERCHANGE_SOURCE_ANSWER_TTL_MS: '1',
      INTERCHANGE_SOURCE_BUDGET_MS: '20000',
    });
    const slow = await startSeller('mcp');
    try {
      const briefBase = await listen(brief);
      const sf = await storefrontWith(brief, [{ sourceId: 'burst', url: slow.url }]);
      const buyer = await createCustomer(brief, { role: 'BUYER' });
      const clients = await Promise.all(
        Array.from({ length: 4 }, () => agentClient(briefBase, sf.platformId, buyer.key)),
      );
      const calls = () => slow.toolCalls().filter((c) => c.tool === 'get_products').length;
      const ask = { buying_mode: 'brief', brief: 'Outdoor for a summer launch' };
      try {
        slow.setDelay(3000);
        const answers = await Promise.all(clients.map((c) => c.call('get_products', ask)));
        expect(calls()).toBe(1);
        const ids = answers.map((a: { products: Array<{ product_id: string }> }) =>
          a.products.map((p) => p.product_id),
        );
        expect(ids[0]!.length).toBeGreaterThan(0);
        for (const other of ids.slice(1)) expect(other).toEqual(ids[0]);

        // The same request once the burst is over: the answer is no longer held, asked again.
        slow.setDelay(0);
        await new Promise((resolve) => setTimeout(resolve, 10));
        await clients[0]!.call('get_products', ask);
        expect(calls()).toBe(2);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    } finally {
      await slow.close();
      await brief.close();
    }
  }, 60_000); // Its own harness (a migrated database) comes first; slow on a loaded machine.

  it('answers a reused answer to each buyer under its own terms, and ranks it for each brief', async () => {
    // While a source's answer is held, its relabelled products and a brief's ranking of them are
    // made once (held-work.ts): a buyer's terms and words must still shape every answer. An AdCP
    // agent's fixed price is shown as the agent quotes it, whatever the buyer's discount (a
    // storefront shows only prices its sources can book: AdCP cannot tell an agent a fixed price),
    // so the discounted buyer and the other see the same fixed prices, from the one held answer.
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const [first, second] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const a = await agentClient(base, sf.platformId, first.key);
    const b = await agentClient(base, sf.platformId, second.key);
    type Answer = {
      products: Array<{ product_id: string; pricing_options: Array<{ fixed_price?: number }> }>;
    };
    const ask = (brand: string, brief = 'CTV for a spring launch') => ({
      buying_mode: 'brief',
      brief,
      brand: { domain: brand },
    });
    const pricesOf = (answer: Answer) =>
      Object.fromEntries(
        answer.products.map((p) => [p.product_id, p.pricing_options[0]?.fixed_price]),
      );
    const terms = async (discountPercent: number) => {
      const set = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: {
          operatorDomain: null,
          brandDomain: 'brand-a.example',
          discountPercent,
          notes: null,
          countries: null,
        },
      });
      expect(set.status, set.text).toBe(201);
    };
    try {
      const list = pricesOf((await a.call('get_products', ask('brand-a.example'))) as Answer);
      const fixed = Object.entries(list).filter(([, price]) => typeof price === 'number');
      expect(fixed.length).toBeGreaterThan(0);
      const before = productCalls();

      await terms(20);
      const discounted = pricesOf((await a.call('get_products', ask('brand-a.example'))) as Answer);
      const other = pricesOf((await b.call('get_products', ask('brand-b.example'))) as Answer);
      const again = pricesOf((await a.call('get_products', ask('brand-a.example'))) as Answer);
      for (const [id, price] of fixed) {
        expect(discounted[id]).toBe(price);
        expect(again[id]).toBe(price);
        expect(other[id]).toBe(price);
      }
      // The first buyer's answer was the held one throughout: only the second buyer's asked.
      expect(productCalls()).toBe(before + 1);

      // Two briefs over the same held products: each its own order, each the same when asked again.
      const order = async (brief: string) =>
        ((await a.call('get_products', ask('brand-a.example', brief))) as Answer).products.map(
          (p) => p.product_id,
        );
      const ctv = await order('CTV for a spring launch');
      const audio = await order('Audio in Germany');
      expect(audio).not.toEqual(ctv);
      expect(await order('CTV for a spring launch')).toEqual(ctv);
      expect(await order('Audio in Germany')).toEqual(audio);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
