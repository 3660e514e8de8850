import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

let h: Harness;
let base: string;
let seller: RunningSeller;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [seller, receiver] = await Promise.all([startSeller('mcp'), startWebhookReceiver()]);
});
afterAll(async () => {
  await Promise.all([seller?.close(), receiver?.close()]);
  await h.close();
});

const approvals = '/api/v2/storefront/media-buy-approvals';

async function manualStorefront() {
  return storefrontWith(h, [{ sourceId: 'main', url: seller.url }], { mediaBuyApproval: 'manual' });
}

async function buy(agent: Awaited<ReturnType<typeof agentClient>>, push = true) {
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
    ...(push && {
      push_notification_config: {
        url: receiver.url,
        authentication: {
          schemes: ['Bearer'],
          credentials: 'buyer-webhook-secret-0123456789abcdef',
        },
      },
    }),
  });
}

describe('media buys under manual approval', () => {
  it('queues the buy, forwards it on approval, and completes the buyer’s task with a signed callback', async () => {
    const sf = await manualStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const submitted = await buy(agent);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      expect(submitted.task_id).toEqual(expect.any(String));
      expect(submitted.media_buy_id).toBeUndefined();

      const queue = await h.call('GET', approvals, { key: sf.seller.key });
      expect(queue.status).toBe(200);
      expect(queue.body.data.total).toBe(1);
      const entry = queue.body.data.items[0];
      expect(entry).toMatchObject({
        status: 'pending',
        kind: 'create',
        buyerCustomerId: buyer.id,
        storefrontId: String(sf.id),
      });
      // The buyer's webhook credentials are not part of what the operator sees.
      expect(JSON.stringify(entry.submittedPayload)).not.toContain('buyer-webhook-secret');
      // Nothing reached the source yet.
      expect(entry.forwardedAt).toBeNull();

      const decided = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: sf.seller.key,
        body: { status: 'approved', reviewerNotes: 'Looks good' },
      });
      expect(decided.status).toBe(200);
      expect(decided.body.data).toMatchObject({
        status: 'approved',
        reviewerNotes: 'Looks good',
        forwardOutcome: 'all_completed',
        forwardError: null,
        forwardResult: [
          { sourceId: 'main', status: 'completed', upstreamMediaBuyId: expect.any(String) },
        ],
      });
      expect(decided.body.data.reviewedBy).toEqual(expect.any(String));

      const again = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: sf.seller.key,
        body: { status: 'rejected' },
      });
      expect(again.status).toBe(409);
      // Fully forwarded: nothing to retry.
      const retry = await h.call('POST', `${approvals}/${entry.mediaBuyId}/retry-forward`, {
        key: sf.seller.key,
      });
      expect(retry.status).toBe(409);

      const hook = await receiver.next((w) => JSON.stringify(w.body).includes(entry.mediaBuyId));
      expect(hook.headers['signature-input']).toEqual(expect.any(String));
      expect(hook.headers['signature']).toEqual(expect.any(String));
      expect(hook.body.status).toBe('completed');

      const task = await agent.call('tasks_get', {
        task_id: submitted.task_id,
        account: { account_id: 'acme_media' },
      });
      expect(JSON.stringify(task)).toContain(entry.mediaBuyId);

      const read = await agent.call('get_media_buys', { media_buy_ids: [entry.mediaBuyId] });
      expect(read.media_buys).toHaveLength(1);

      const events = await h.database.queryable.query(
        'select event from merchandising_events where media_buy_id = $1 order by id',
        [entry.mediaBuyId],
      );
      expect(events.rows.map((r) => r['event'])).toEqual([
        'media_buy_submitted_for_approval',
        'media_buy_forwarded',
      ]);
    } finally {
      await agent.close();
    }
  });

  it('rejects: nothing is forwarded and the buyer’s task fails with the reviewer’s note', async () => {
    const sf = await manualStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const submitted = await buy(agent, false);
      const [entry] = (await h.call('GET', approvals, { key: sf.seller.key })).body.data.items;
      const decided = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: sf.seller.key,
        body: { status: 'rejected', reviewerNotes: 'Not for this brand' },
      });
      expect(decided.body.data).toMatchObject({
        status: 'rejected',
        forwardOutcome: null,
        forwardedAt: null,
      });
      const retry = await h.call('POST', `${approvals}/${entry.mediaBuyId}/retry-forward`, {
        key: sf.seller.key,
      });
      expect(retry.status).toBe(409);
      const foreign = await createCustomer(h, { role: 'SELLER' });
      const notMine = await h.call('POST', `${approvals}/${entry.mediaBuyId}/retry-forward`, {
        key: foreign.key,
      });
      expect(notMine.status).toBe(404);
      const task = await agent.call('tasks_get', {
        task_id: submitted.task_id,
        account: { account_id: 'acme_media' },
      });
      expect(JSON.stringify(task)).toContain('Not for this brand');
      const rejected = await h.call('GET', `${approvals}?status=rejected`, { key: sf.seller.key });
      expect(rejected.body.data.items.map((i: { mediaBuyId: string }) => i.mediaBuyId)).toEqual([
        entry.mediaBuyId,
      ]);
      const read = await agent.call('get_media_buys', { media_buy_ids: [entry.mediaBuyId] });
      expect(read.media_buys).toEqual([]);
    } finally {
      await agent.close();
    }
  });

  it('answers 404 for another storefront’s entry and 400 for a bad status filter', async () => {
    const sf = await manualStorefront();
    const other = await manualStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await buy(agent, false);
      const [entry] = (await h.call('GET', approvals, { key: sf.seller.key })).body.data.items;
      const foreign = await h.call('GET', `${approvals}/${entry.mediaBuyId}`, {
        key: other.seller.key,
      });
      expect(foreign.status).toBe(404);
      const decideForeign = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: other.seller.key,
        body: { status: 'approved' },
      });
      expect(decideForeign.status).toBe(404);
      const bad = await h.call('GET', `${approvals}?status=maybe`, { key: sf.seller.key });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('status');
      const buyerTry = await h.call('GET', approvals, { key: buyer.key });
      expect(buyerTry.status).toBe(403);
    } finally {
      await agent.close();
    }
  });
});
