import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../src/modules/inventory-sources/index.js';
import {
  createSourceAnswerCache,
  type SourceAnswerKey,
} from '../../src/source-kinds/agent/answer-cache.js';
import type { ToolCallResult } from '../../src/upstream/index.js';

const source = {
  id: 7,
  storefrontId: 3,
  sourceId: 'alpha',
  endpointUrl: 'https://alpha.example/mcp',
  protocol: 'MCP',
  updatedAt: new Date('2026-11-01T00:00:00Z'),
} as SourceRow;

const keyOf = (overrides: Partial<SourceAnswerKey> = {}): SourceAnswerKey => ({
  customerId: 11,
  source,
  credential: { owner: 'inventory-source:7', auth: { type: 'API_KEY', token: 'tok_one' } },
  tool: 'get_products',
  args: { buying_mode: 'brief', brief: 'CTV', account: { brand: { domain: 'a.example' } } },
  ...overrides,
});

/** A source that answers `products` numbered by how often it was asked. */
function countingSource() {
  let asked = 0;
  return {
    asked: () => asked,
    load: async (): Promise<ToolCallResult<{ products: Array<{ product_id: string }> }>> => {
      asked++;
      return {
        ok: true,
        latencyMs: 5,
        status: 'completed',
        data: { products: [{ product_id: `p${asked}` }] },
      };
    },
  };
}

describe('source answer cache', () => {
  it('reuses one buyer’s identical answer within the TTL, and asks again after it', async () => {
    let now = 1_000;
    const cache = createSourceAnswerCache({ ttlMs: 2_000, now: () => now });
    const seller = countingSource();
    const first = await cache.answer(keyOf(), seller.load);
    // The same request with its keys in another order is the same request.
    const args = {
      account: { brand: { domain: 'a.example' } },
      brief: 'CTV',
      buying_mode: 'brief',
    };
    const again = await cache.answer(keyOf({ args }), seller.load);
    expect(seller.asked()).toBe(1);
    expect(again).toMatchObject({ ok: true, status: 'completed' });
    expect(again.ok && again.data).toEqual(first.ok && first.data);
    now += 2_001;
    const later = await cache.answer(keyOf(), seller.load);
    expect(seller.asked()).toBe(2);
    expect(later.ok && later.data.products[0]!.product_id).toBe('p2');
  });

  it('never gives one buyer another’s answer, nor one credential, source version or request another’s', async () => {
    const cache = createSourceAnswerCache({ ttlMs: 60_000 });
    const seller = countingSource();
    await cache.answer(keyOf(), seller.load);
    const variants: Array<Partial<SourceAnswerKey>> = [
      { customerId: 12 },
      { credential: { owner: 'inventory-source:7', auth: { type: 'API_KEY', token: 'tok_two' } } },
      { credential: { owner: 'buyer-credential:11:agent:acct', auth: { type: 'NO_AUTH' } } },
      { source: { ...source, updatedAt: new Date('2026-11-02T00:00:00Z') } },
      { source: { ...source, id: 8 } },
      { args: { buying_mode: 'brief', brief: 'CTV', account: { brand: { domain: 'b.example' } } } },
      { args: { buying_mode: 'brief', brief: 'Audio' } },
      { tool: 'list_creative_formats' },
    ];
    for (const variant of variants) {
      const answer = await cache.answer(keyOf(variant), seller.load);
      expect(answer.ok && answer.data.products[0]!.product_id).not.toBe('p1');
    }
    expect(seller.asked()).toBe(1 + variants.length);
  });

  it('keeps only completed answers and hands out copies a caller may change', async () => {
    const cache = createSourceAnswerCache({ ttlMs: 60_000 });
    let asked = 0;
    const failing = async (): Promise<ToolCallResult<unknown>> => {
      asked++;
      return { ok: false, latencyMs: 1, error: { code: 'timeout', message: 'slow' } };
    };
    await cache.answer(keyOf(), failing);
    await cache.answer(keyOf(), failing);
    expect(asked).toBe(2);
    const working = async (): Promise<ToolCallResult<unknown>> => {
      asked++;
      return { ok: true, latencyMs: 1, status: 'working', data: {}, taskId: 't1' };
    };
    await cache.answer(keyOf(), working);
    await cache.answer(keyOf(), working);
    expect(asked).toBe(4);

    const seller = countingSource();
    const first = await cache.answer(keyOf({ customerId: 99 }), seller.load);
    if (first.ok) first.data.products[0]!.product_id = 'changed by the first caller';
    const second = await cache.answer(keyOf({ customerId: 99 }), seller.load);
    if (second.ok) second.data.products.push({ product_id: 'added by the second caller' });
    const third = await cache.answer(keyOf({ customerId: 99 }), seller.load);
    expect(seller.asked()).toBe(1);
    expect(third.ok && third.data.products).toEqual([{ product_id: 'p1' }]);
  });

  it('is bounded in entries and in bytes, and off with a TTL of 0', async () => {
    const byCount = createSourceAnswerCache({ ttlMs: 60_000, maxEntries: 2 });
    const seller = countingSource();
    for (const customerId of [1, 2, 3]) await byCount.answer(keyOf({ customerId }), seller.load);
    await byCount.answer(keyOf({ customerId: 3 }), seller.load);
    await byCount.answer(keyOf({ customerId: 2 }), seller.load);
    expect(seller.asked()).toBe(3);
    // The oldest went first.
    await byCount.answer(keyOf({ customerId: 1 }), seller.load);
    expect(seller.asked()).toBe(4);

    const big = async (): Promise<ToolCallResult<unknown>> => ({
      ok: true,
      latencyMs: 1,
      status: 'completed',
      data: { products: [{ description: 'x'.repeat(300) }] },
    });
    let bigAsked = 0;
    const counted = () => {
      bigAsked++;
      return big();
    };
    // An answer over a quarter of the byte budget is not kept; two that fit in it are.
    const tiny = createSourceAnswerCache({ ttlMs: 60_000, maxBytes: 1_000 });
    await tiny.answer(keyOf(), counted);
    await tiny.answer(keyOf(), counted);
    expect(bigAsked).toBe(2);
    const small = createSourceAnswerCache({ ttlMs: 60_000, maxBytes: 1_400 });
    // Each answer is 333 bytes of JSON: four fit in 1,400, so customer 1's is still there.
    for (const customerId of [1, 2, 3, 4, 1]) await small.answer(keyOf({ customerId }), counted);
    expect(bigAsked).toBe(2 + 4);
    // A fifth does not fit: the oldest (customer 1's) makes room, the others stay.
    for (const customerId of [5, 1, 4]) await small.answer(keyOf({ customerId }), counted);
    expect(bigAsked).toBe(2 + 4 + 2);

    const off = createSourceAnswerCache({ ttlMs: 0 });
    const direct = countingSource();
    await off.answer(keyOf(), direct.load);
    await off.answer(keyOf(), direct.load);
    expect(direct.asked()).toBe(2);
  });

  describe('concurrent identical misses', () => {
    /** A source whose answers wait until released, counting how often it was asked. */
    function gatedSource<T>(answer: () => Promise<ToolCallResult<T>>) {
      let asked = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      return {
        asked: () => asked,
        release: () => release(),
        load: async () => {
          asked++;
          await gate;
          return answer();
        },
      };
    }

    it('ask the source once and give every caller its own copy of the answer', async () => {
      const cache = createSourceAnswerCache({ ttlMs: 60_000 });
      const seller = gatedSource(async () => ({
        ok: true as const,
        latencyMs: 5,
        status: 'completed' as const,
        data: { products: [{ product_id: 'p1' }] },
      }));
      const callers = Array.from({ length: 5 }, () => cache.answer(keyOf(), seller.load));
      // Another buyer's identical request is another key: it is not shared.
      const otherBuyer = cache.answer(keyOf({ customerId: 12 }), seller.load);
      seller.release();
      const answers = await Promise.all(callers);
      await otherBuyer;
      expect(seller.asked()).toBe(2);
      for (const a of answers) expect(a.ok && a.data.products).toEqual([{ product_id: 'p1' }]);
      if (answers[0]!.ok) answers[0]!.data.products[0]!.product_id = 'changed by one caller';
      expect(answers.slice(1).map((a) => a.ok && a.data.products[0]!.product_id)).toEqual([
        'p1',
        'p1',
        'p1',
        'p1',
      ]);
      // And the shared answer was kept: a later caller is served without asking.
      const later = await cache.answer(keyOf(), seller.load);
      expect(seller.asked()).toBe(2);
      expect(later.ok && later.data.products).toEqual([{ product_id: 'p1' }]);
    });

    it('show every waiter a failed answer, and keep none of it', async () => {
      const cache = createSourceAnswerCache({ ttlMs: 60_000 });
      const seller = gatedSource<unknown>(async () => ({
        ok: false as const,
        latencyMs: 8000,
        error: { code: 'timeout' as const, message: 'the source did not answer in time' },
      }));
      const callers = Array.from({ length: 3 }, () => cache.answer(keyOf(), seller.load));
      seller.release();
      const answers = await Promise.all(callers);
      expect(seller.asked()).toBe(1);
      expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['timeout', 'timeout', 'timeout']);
      await cache.answer(keyOf(), seller.load);
      expect(seller.asked()).toBe(2);
    });

    it('never make a caller wait past its own budget for a slower load', async () => {
      const cache = createSourceAnswerCache({ ttlMs: 60_000 });
      const slow = gatedSource(async () => ({
        ok: true as const,
        latencyMs: 20_000,
        status: 'completed' as const,
        data: { products: [{ product_id: 'slow' }] },
      }));
      const quick = countingSource();
      const first = cache.answer(keyOf(), slow.load, 30_000);
      // A 2 s budget does not join a load that may run 30 s: it asks the source itself.
      const second = await cache.answer(keyOf(), quick.load, 2_000);
      expect(quick.asked()).toBe(1);
      expect(second.ok && second.data.products).toEqual([{ product_id: 'p1' }]);
      slow.release();
      await first;
      expect(slow.asked()).toBe(1);
    });

    it('ask again with the time left when the shared load ran out of the first budget', async () => {
      const cache = createSourceAnswerCache({ ttlMs: 60_000 });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const budgets: Array<number | undefined> = [];
      const load = async (
        timeoutMs?: number,
      ): Promise<ToolCallResult<{ products: Array<{ product_id: string }> }>> => {
        budgets.push(timeoutMs);
        if (budgets.length === 1) {
          await gate;
          return { ok: false, latencyMs: 2_000, error: { code: 'timeout', message: 'late' } };
        }
        return { ok: true, latencyMs: 5, status: 'completed', data: { products: [] } };
      };
      const short = cache.answer(keyOf(), load, 2_000);
      const long = cache.answer(keyOf(), load, 30_000);
      release();
      const [a, b] = await Promise.all([short, long]);
      expect(!a.ok && a.error.code).toBe('timeout');
      expect(b.ok).toBe(true);
      expect(budgets).toHaveLength(2);
      expect(budgets[0]).toBe(2_000);
      // Its own budget less the time it waited, never the first caller's.
      expect(budgets[1]).toBeGreaterThan(2_000);
      expect(budgets[1]).toBeLessThanOrEqual(30_000);
    });

    it('reject every waiter when the load throws, and ask again afterwards', async () => {
      const cache = createSourceAnswerCache({ ttlMs: 60_000 });
      const seller = gatedSource<unknown>(async () => {
        throw new Error('connection reset');
      });
      const callers = Array.from({ length: 3 }, () => cache.answer(keyOf(), seller.load));
      seller.release();
      const settled = await Promise.allSettled(callers);
      expect(seller.asked()).toBe(1);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
      await expect(cache.answer(keyOf(), seller.load)).rejects.toThrow('connection reset');
      expect(seller.asked()).toBe(2);
    });
  });
});
