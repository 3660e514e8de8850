import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { mixedStorefront, priceObjectionHistory } from './brief-answers-support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/**
 * Human settings stay authoritative over history (issue 47, item 2; seed 003): the storefront's
 * answer size (PUT /api/v2/storefront maxProducts) and a posture pinned in the active operating
 * instructions win over a recommendation the seller accepted.
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

type Answer = {
  isError: boolean;
  products: Array<{ product_id: string }>;
  pagination?: { has_more: boolean; cursor?: string; total_count?: number };
};

/** A storefront of 34 products whose seller accepted history's price_first (an answer of 10). */
async function acceptedPriceFirst() {
  const sf = await mixedStorefront(h, seller);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  await priceObjectionHistory(h, sf.id, buyer.id, 'acme.example');
  const accepted = await h.call('POST', '/api/v2/storefront/seller-analytics/posture-acceptances', {
    key: sf.seller.key,
    body: { posture: 'price_first' },
  });
  expect(accepted.status, accepted.text).toBe(201);
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const ask = async (pagination?: Record<string, unknown>) => {
    const answer = (await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'Video, display, CTV and audio across the site',
      brand: { domain: 'acme.example' },
      ...(pagination && { pagination }),
    })) as Answer;
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return answer;
  };
  expect((await ask()).products).toHaveLength(10);
  return { sf, agent, ask };
}

describe('the storefront answer size', () => {
  it('a pinned answer size wins over an accepted recommendation, and the rest page on', async () => {
    const { sf, agent, ask } = await acceptedPriceFirst();
    try {
      const set = await h.call('PUT', '/api/v2/storefront', {
        key: sf.seller.key,
        body: { maxProducts: 3 },
      });
      expect(set.status, set.text).toBe(200);
      expect(set.body.data.maxProducts).toBe(3);

      const first = await ask();
      expect(first.products).toHaveLength(3);
      expect(first.pagination).toMatchObject({ has_more: true, total_count: 34 });
      // The cursor continues at the storefront's size: nothing is hidden.
      const second = await ask({ cursor: first.pagination!.cursor });
      expect(second.products).toHaveLength(3);
      const seen = [...first.products, ...second.products].map((p) => p.product_id);
      expect(new Set(seen).size).toBe(6);
      // The buyer's own max_results still wins over the storefront's.
      expect((await ask({ max_results: 8 })).products).toHaveLength(8);

      const cleared = await h.call('PUT', '/api/v2/storefront', {
        key: sf.seller.key,
        body: { maxProducts: null },
      });
      expect(cleared.body.data.maxProducts).toBeNull();
      expect((await ask()).products).toHaveLength(10);
    } finally {
      await agent.close();
    }
  });

  it('refuses an answer size outside 1-100, naming the field', async () => {
    const owner = await createCustomer(h, { role: 'SELLER' });
    for (const maxProducts of [0, 101, 2.5, '5']) {
      const res = await h.call('PUT', '/api/v2/storefront', {
        key: owner.key,
        body: { maxProducts },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'maxProducts' });
    }
  });
});

describe('a posture pinned in operating instructions', () => {
  it('wins over an accepted recommendation while its version is active', async () => {
    const { sf, agent, ask } = await acceptedPriceFirst();
    try {
      const saved = await h.call('POST', '/api/v2/storefront/operating-instructions', {
        key: sf.seller.key,
        body: { content: '# Rules\nShow few, well-fitting products.', posture: 'direct_fit' },
      });
      expect(saved.status, saved.text).toBe(201);
      expect(saved.body.data).toMatchObject({ posture: 'direct_fit', isActive: false });
      // Saved but not active: history's accepted posture still answers.
      expect((await ask()).products).toHaveLength(10);

      const activated = await h.call(
        'POST',
        `/api/v2/storefront/operating-instructions/${saved.body.data.version}/activate`,
        { key: sf.seller.key },
      );
      expect(activated.status, activated.text).toBe(200);
      const pinned = await ask();
      expect(pinned.products).toHaveLength(5);
      expect(pinned.pagination).toMatchObject({ has_more: true, total_count: 34 });

      // A later version pinning nothing hands the answer back to the accepted recommendation.
      const unpinned = await h.call('POST', '/api/v2/storefront/operating-instructions', {
        key: sf.seller.key,
        body: { content: '# Rules\nNo posture.', activate: true },
      });
      expect(unpinned.body.data).toMatchObject({ posture: null, isActive: true });
      expect((await ask()).products).toHaveLength(10);
    } finally {
      await agent.close();
    }
  });

  it('refuses a posture that is not one of the six', async () => {
    const owner = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('POST', '/api/v2/storefront/operating-instructions', {
      key: owner.key,
      body: { content: '# Rules', posture: 'aggressive' },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'posture' });
  });
});
