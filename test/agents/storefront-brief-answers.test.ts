import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  mixedStorefront as mixedStorefrontOf,
  priceObjectionHistory,
} from './brief-answers-support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/**
 * Nothing a publisher put on sale is hidden silently (issue 47, item 2). A storefront draws on an
 * AdCP agent (30 products, asked first) and a spreadsheet (modular) source: a posture's answer
 * size keeps the best-matched products across both sources, never the first in source order;
 * the answer says more exist, and max_results with the cursor pages through every product once;
 * a recommendation the history makes changes nothing until the seller accepts it.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const mixedStorefront = () => mixedStorefrontOf(h, seller);

type Product = { product_id: string; name: string; ext?: { interchange?: { match?: unknown } } };
type Answer = {
  isError: boolean;
  products: Product[];
  pagination?: { has_more: boolean; cursor?: string; total_count?: number };
};

async function pinPosture(key: string, posture: string) {
  const pinned = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
    key,
    body: {
      operatorDomain: null,
      brandDomain: null,
      discountPercent: null,
      notes: null,
      countries: null,
      posture,
    },
  });
  expect(pinned.status, pinned.text).toBe(201);
}

describe('brief answers across sources', () => {
  it('a posture of 5 keeps the spreadsheet product the brief names, and says more exist', async () => {
    const sf = await mixedStorefront();
    await pinPosture(sf.seller.key, 'direct_fit');
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const answer = (await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Weekend edition native article',
        brand: { domain: 'newbrand.example' },
      })) as Answer;
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(answer.products).toHaveLength(5);
      expect(answer.products[0]!.name).toBe('Weekend edition native article');
      expect(answer.products[0]!.product_id).toBe('avails__weekend-native');
      expect(answer.products[0]!.ext?.interchange?.match).toMatchObject({
        reasons: expect.arrayContaining(['named in the brief']),
      });
      expect(answer.pagination).toMatchObject({ has_more: true, total_count: 34 });
      expect(typeof answer.pagination?.cursor).toBe('string');
    } finally {
      await agent.close();
    }
  });

  it('max_results and the cursor page through every product exactly once', async () => {
    const sf = await mixedStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const ask = (pagination: Record<string, unknown>) =>
        agent.call('get_products', {
          buying_mode: 'brief',
          brief: 'Sports video and a weekend native article',
          pagination,
        }) as Promise<Answer>;
      const seen: string[] = [];
      let page = await ask({ max_results: 7 });
      expect(page.isError, JSON.stringify(page)).toBe(false);
      expect(page.products).toHaveLength(7);
      expect(page.pagination?.total_count).toBe(34);
      seen.push(...page.products.map((p) => p.product_id));
      while (page.pagination?.has_more) {
        page = await ask({ max_results: 7, cursor: page.pagination.cursor });
        expect(page.isError, JSON.stringify(page)).toBe(false);
        expect(page.products.length).toBeLessThanOrEqual(7);
        seen.push(...page.products.map((p) => p.product_id));
      }
      expect(seen).toHaveLength(34);
      expect(new Set(seen).size).toBe(34);
      expect(seen).toEqual(
        expect.arrayContaining(['avails__letters-page', 'agent__dsp_newsletter']),
      );

      const bad = await ask({ max_results: 7, cursor: 'not-a-cursor' });
      expect(bad.isError).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('a recommendation the seller has not accepted does not change the answer size', async () => {
    const sf = await mixedStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    // History: five refine runs of this brand objecting to price, none booked: price_first (10).
    await priceObjectionHistory(h, sf.id, buyer.id, 'acme.example');
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const ask = () =>
      agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Video, display, CTV and audio across the site',
        brand: { domain: 'acme.example' },
      }) as Promise<Answer>;
    try {
      const unaccepted = await ask();
      expect(unaccepted.isError, JSON.stringify(unaccepted)).toBe(false);
      expect(unaccepted.products).toHaveLength(34);

      const analytics = await h.call('GET', '/api/v2/storefront/seller-analytics', {
        key: sf.seller.key,
      });
      expect(analytics.status, analytics.text).toBe(200);
      const signal = analytics.body.data.strategySignals.find(
        (s: { posture: string }) => s.posture === 'price_first',
      );
      expect(signal).toMatchObject({ accepted: false });

      const accepted = await h.call(
        'POST',
        '/api/v2/storefront/seller-analytics/posture-acceptances',
        {
          key: sf.seller.key,
          body: { posture: 'price_first' },
        },
      );
      expect(accepted.status, accepted.text).toBe(201);
      const guided = await ask();
      expect(guided.products).toHaveLength(10);
      expect(guided.pagination).toMatchObject({ has_more: true, total_count: 34 });
    } finally {
      await agent.close();
    }
  });
});
