import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { agentClient, listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { creative, newCreativeId, sync } from '../../agents/storefront-creatives-support.js';

/*
 * The hosted groups of GET /api/v2/storefront/pending-operations, each from what the platform
 * records: a creative waiting on the operator's review, a source failing its health probe. (A
 * buy whose forward failed and an ad-server order left to clean up:
 * pending-ad-server-cleanups.test.ts.)
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

const pendingOf = async (key: string) => {
  const answer = await h.call('GET', '/api/v2/storefront/pending-operations', { key });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.data;
};

async function buyerOn(platformId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER', name: 'Acme Agency' });
  return { buyer, agent: await agentClient(base, platformId, buyer.key) };
}

const buyerRef = (buyer: TestCustomer) => ({ customerId: buyer.id, name: 'Acme Agency' });

describe('pending operations: the hosted groups', () => {
  it('lists a creative waiting on the operator’s review', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      creativeApproval: 'manual',
    });
    expect(await pendingOf(sf.seller.key)).toEqual({ total: 0 });
    const { buyer, agent } = await buyerOn(sf.platformId);
    const id = newCreativeId();
    try {
      await sync(agent, [creative(id)]);
    } finally {
      await agent.close();
    }
    const pending = await pendingOf(sf.seller.key);
    expect(pending.creativeReviews).toEqual({
      count: 1,
      items: [
        {
          creativeId: id,
          mediaBuyId: null,
          buyer: buyerRef(buyer),
          submittedAt: expect.any(String),
        },
      ],
    });
    expect(pending.total).toBe(1);
  }, 90_000);

  it('lists an active source failing its health probe as blocking', async () => {
    const failing = await startSeller('mcp');
    const sf = await storefrontWith(h, [{ sourceId: 'flaky', url: failing.url }]);
    expect((await pendingOf(sf.seller.key)).sourceDegradations).toBeUndefined();
    await failing.close();
    await h.call('POST', '/api/v2/storefront/inventory-sources/flaky/refresh', {
      key: sf.seller.key,
    });
    const pending = await pendingOf(sf.seller.key);
    expect(pending.sourceDegradations).toEqual({
      count: 1,
      items: [
        {
          sourceId: 'flaky',
          sourceName: 'Source flaky',
          severity: 'blocking',
          headline: expect.stringMatching(/^Source flaky failed its last health probe/),
        },
      ],
    });
    expect(pending.total).toBe(1);
  }, 90_000);

  it('answers only the caller’s own storefront', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      creativeApproval: 'manual',
    });
    const { agent } = await buyerOn(sf.platformId);
    try {
      await sync(agent, [creative(newCreativeId())]);
    } finally {
      await agent.close();
    }
    const other = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
    expect(await pendingOf(other.seller.key)).toEqual({ total: 0 });
  }, 90_000);
});
