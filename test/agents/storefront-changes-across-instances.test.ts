import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReadCacheTtlMs } from '../../src/platform/read-cache.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * A storefront's configuration is read once per cache lifetime, not on every get_products call
 * (issue 30), yet a change made on one instance shows in the next calls on another instance
 * within the read cache's documented bound (read-cache.ts: cleared through PostgreSQL
 * notifications, at most `defaultReadCacheTtlMs` when one is lost): the buyer's pricing
 * (buyer instructions), the storefront's sources, and the storefront itself (paused).
 */
let h: Harness;
let first: string;
let other: FastifyInstance;
let second: string;
let sellers: RunningSeller[];

beforeAll(async () => {
  h = await createHarness();
  first = await listen(h);
  // Another instance over the same database, with its own services and caches.
  other = await h.buildApp({}, { services: true });
  await other.listen({ host: '127.0.0.1', port: 0 });
  second = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
  sellers = [await startSeller('mcp'), await startSeller('mcp')];
});
afterAll(async () => {
  await Promise.all((sellers ?? []).map((s) => s.close()));
  await other?.close();
  await h.close();
});

type Product = { product_id: string; pricing_options: Array<{ fixed_price?: number }> };
const priceOf = (products: Product[], id: string) =>
  products.find((p) => p.product_id === id)?.pricing_options[0]?.fixed_price;
const sourcesOf = (products: Product[]) =>
  [...new Set(products.map((p) => p.product_id.split('__')[0]))].sort();

/** Asks until `seen` holds, failing after the read cache's bound (with a margin for the call). */
async function within<T>(ask: () => Promise<T>, seen: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + defaultReadCacheTtlMs + 1_500;
  for (;;) {
    const answer = await ask();
    if (seen(answer) || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a storefront changed on one instance', () => {
  it('is seen by get_products on another instance within the read cache bound', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'alpha', url: sellers[0]!.url },
      { sourceId: 'beta', url: sellers[1]!.url },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const onSecond = await agentClient(second, sf.platformId, buyer.key);
    const onFirst = await agentClient(first, sf.platformId, buyer.key);
    const products = async (): Promise<Product[]> =>
      (await onSecond.call('get_products', { buying_mode: 'wholesale' })).products;
    try {
      // The second instance has read (and cached) the storefront, its sources and instructions.
      const before = await products();
      expect(sourcesOf(before)).toEqual(['alpha', 'beta']);
      const priced = before.find((p) => typeof p.pricing_options[0]?.fixed_price === 'number')!;
      const listPrice = priceOf(before, priced.product_id)!;
      await onFirst.call('get_products', { buying_mode: 'wholesale' });

      // Pricing: a house discount of 20 % written on the first instance.
      const discount = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: {
          operatorDomain: null,
          brandDomain: null,
          countries: null,
          discountPercent: 20,
          notes: 'house discount',
        },
      });
      expect(discount.status, discount.text).toBe(201);
      // An AdCP agent's fixed price is shown as the agent quotes it, whatever the discount (a
      // storefront shows only prices its sources can book; docs/merchandising.md): both sources
      // here are agents, so the house discount leaves their prices as they were.
      expect(priceOf(await products(), priced.product_id)).toBe(listPrice);

      // Sources: beta disabled on the first instance.
      const disabled = await h.call('PUT', '/api/v2/storefront/inventory-sources/beta', {
        key: sf.seller.key,
        body: { status: 'DISABLED' },
      });
      expect(disabled.status, disabled.text).toBe(200);
      const fewer = await within(products, (p) => sourcesOf(p).length === 1);
      expect(sourcesOf(fewer)).toEqual(['alpha']);

      // The storefront itself: its operator's hold.
      const held = await h.call('PUT', '/api/v2/storefront', {
        key: sf.seller.key,
        body: { isPaused: true },
      });
      expect(held.status, held.text).toBe(200);
      const none = await within(
        () => onSecond.call('get_products', { buying_mode: 'wholesale' }),
        (a) => a.products?.length === 0,
      );
      expect(none.products).toEqual([]);
      expect(JSON.stringify(none.errors)).toContain('paused');
    } finally {
      await onSecond.close();
      await onFirst.close();
    }
  });
});
