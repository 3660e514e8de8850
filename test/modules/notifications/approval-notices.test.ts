import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, storefrontWith } from '../../agents/storefront-agent-support.js';

/**
 * A seller under manual approval hears of a buy waiting on it (inbox and pending operations);
 * the buyer hears the decision and that the buy is booked.
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

async function placeBuy(platformId: string, buyerKey: string) {
  const agent = await agentClient(base, platformId, buyerKey);
  try {
    const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
    const product = products[0];
    return await agent.call('create_media_buy', {
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
  } finally {
    await agent.close();
  }
}

describe('a buy under manual approval', () => {
  it('tells the seller it waits, lists it as pending, and tells the buyer the decision', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const buyer = await createCustomer(h, { role: 'BUYER', name: 'Acme Agency' });
    const submitted = await placeBuy(sf.platformId, buyer.key);
    expect(submitted).toMatchObject({ isError: false, status: 'submitted' });

    const inbox = await h.call('GET', '/api/v2/storefront/notifications', { key: sf.seller.key });
    expect(inbox.status).toBe(200);
    expect(inbox.body.data).toMatchObject({ totalCount: 1, unreadCount: 1, hasMore: false });
    const [notice] = inbox.body.data.notifications;
    expect(notice).toMatchObject({
      type: 'media_buy.approval_requested',
      status: 'warning',
      read: false,
      acknowledged: false,
      actionUrl: '/console/reviews',
    });
    const mediaBuyId = notice.data.mediaBuyId as string;
    expect(notice.messagePreview).toContain(mediaBuyId);

    const pending = await h.call('GET', '/api/v2/storefront/pending-operations', {
      key: sf.seller.key,
    });
    expect(pending.status).toBe(200);
    expect(pending.body.data).toMatchObject({
      total: 1,
      approvals: {
        count: 1,
        items: [
          {
            mediaBuyId,
            kind: 'create',
            buyer: { customerId: buyer.id, name: 'Acme Agency' },
            submittedAt: expect.any(String),
          },
        ],
      },
    });
    // Groups with nothing in them are left out (hosted's rule).
    expect(pending.body.data.workItems).toBeUndefined();
    expect(pending.body.data.expiringHolds).toBeUndefined();

    const decided = await h.call(
      'POST',
      `/api/v2/storefront/media-buy-approvals/${mediaBuyId}/decide`,
      { key: sf.seller.key, body: { status: 'approved', reviewerNotes: 'Fine by us' } },
    );
    expect(decided.status).toBe(200);

    const told = await h.call('GET', '/api/v2/buyer/notifications', { key: buyer.key });
    expect(told.status).toBe(200);
    const types = told.body.data.notifications.map((n: { type: string }) => n.type);
    expect(types.sort()).toEqual(['media_buy.approved', 'media_buy.live']);
    const approved = told.body.data.notifications.find(
      (n: { type: string }) => n.type === 'media_buy.approved',
    );
    expect(approved.messagePreview).toContain('Fine by us');
    expect(approved.data).toMatchObject({ mediaBuyId, storefrontId: sf.id });

    const after = await h.call('GET', '/api/v2/storefront/pending-operations', {
      key: sf.seller.key,
    });
    expect(after.body.data).toEqual({ total: 0 });
    // The seller's own inbox holds nothing of the buyer's, and the reverse.
    const sellerTypes = (
      await h.call('GET', '/api/v2/storefront/notifications', { key: sf.seller.key })
    ).body.data.notifications.map((n: { type: string }) => n.type);
    expect(sellerTypes).toEqual(['media_buy.approval_requested']);
  });

  it('tells the buyer of a rejection, with the reviewer’s notes', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await placeBuy(sf.platformId, buyer.key);
    const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
      key: sf.seller.key,
    });
    const mediaBuyId = queue.body.data.items[0].mediaBuyId as string;
    await h.call('POST', `/api/v2/storefront/media-buy-approvals/${mediaBuyId}/decide`, {
      key: sf.seller.key,
      body: { status: 'rejected', reviewerNotes: 'Brand not allowed' },
    });
    const told = await h.call('GET', '/api/v2/buyer/notifications', { key: buyer.key });
    expect(told.body.data.notifications).toHaveLength(1);
    expect(told.body.data.notifications[0]).toMatchObject({
      type: 'media_buy.rejected',
      status: 'error',
    });
    expect(told.body.data.notifications[0].messagePreview).toContain('Brand not allowed');
  });
});
