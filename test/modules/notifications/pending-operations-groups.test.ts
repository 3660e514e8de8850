import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { agentClient, listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { creative, newCreativeId, sync } from '../../agents/storefront-creatives-support.js';

/*
 * The hosted groups of GET /api/v2/storefront/pending-operations, each from what the platform
 * records: a creative waiting on the operator's review, a buy whose forward failed, a buy a
 * source took as a task it has not settled, a source failing its health probe. (An ad-server
 * order left to clean up: pending-ad-server-cleanups.test.ts.)
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

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };

async function buyerOn(platformId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER', name: 'Acme Agency' });
  return { buyer, agent: await agentClient(base, platformId, buyer.key) };
}

type Agent = Awaited<ReturnType<typeof agentClient>>;

async function placeBuy(agent: Agent) {
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  const product = products[0];
  return agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account: { account_id: 'acme_media' },
    brand: { domain: 'acme.example' },
    start_time: new Date(Date.now() + 86_400_000).toISOString(),
    end_time: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0].pricing_option_id,
        budget: 20_000,
      },
    ],
  });
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

  it('groups a buy whose forward failed by its error code, with the retry action', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const { buyer, agent } = await buyerOn(sf.platformId);
    try {
      const submitted = await placeBuy(agent);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
    } finally {
      await agent.close();
    }
    const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
      key: sf.seller.key,
    });
    const mediaBuyId: string = queue.body.data.items[0].mediaBuyId;
    seller.answerInstead!(
      'create_media_buy',
      { error: { code: 'SERVICE_UNAVAILABLE', message: 'Down for maintenance' } },
      5,
    );
    const decided = await h.call(
      'POST',
      `/api/v2/storefront/media-buy-approvals/${mediaBuyId}/decide`,
      { key: sf.seller.key, body: { status: 'approved' } },
    );
    expect(decided.body.data.forwardOutcome, decided.text).toBe('all_failed');

    const pending = await pendingOf(sf.seller.key);
    expect(pending.approvals).toBeUndefined();
    expect(pending.failedForwards).toEqual({
      count: 1,
      groups: [
        {
          errorCode: 'SERVICE_UNAVAILABLE',
          recovery: 'transient',
          action: 'retry',
          count: 1,
          items: [
            {
              mediaBuyId,
              buyer: buyerRef(buyer),
              since: expect.any(String),
              terminalized: false,
              action: 'retry',
              references: { idempotencyKey: expect.any(String), requestedAt: expect.any(String) },
            },
          ],
        },
      ],
    });
    expect(pending.total).toBe(1);
  }, 90_000);

  it('lists a buy its source took as a task it has not settled, with the task id', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
    const { buyer, agent } = await buyerOn(sf.platformId);
    const taskId = `task_${randomUUID().slice(0, 8)}`;
    try {
      await agent.call('comply_test_controller', {
        scenario: 'seed_product',
        account: sandbox,
        params: { product_id: 'async_io', fixture: { delivery_type: 'guaranteed' } },
      });
      await agent.call('comply_test_controller', {
        scenario: 'force_create_media_buy_arm',
        account: sandbox,
        params: { arm: 'submitted', task_id: taskId },
      });
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: sandbox,
        brand: { domain: 'test.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [{ product_id: 'async_io', pricing_option_id: 'async_io_cpm', budget: 5000 }],
      });
      expect(created, JSON.stringify(created)).toMatchObject({ status: 'submitted' });
    } finally {
      await agent.close();
    }
    const pending = await pendingOf(sf.seller.key);
    expect(pending.awaitingSource).toEqual({
      count: 1,
      items: [
        {
          mediaBuyId: expect.any(String),
          sourceId: 'main',
          sourceName: 'Source main',
          buyer: buyerRef(buyer),
          since: expect.any(String),
          taskId,
        },
      ],
    });
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
