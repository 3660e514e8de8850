import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * AdCP 3.1's webhook payload (core/mcp-webhook-payload.json) requires `operation_id`, echoed
 * verbatim from the request's push_notification_config, beside a well-formed idempotency_key
 * (webhook_emission/idempotency_key_presence filters the receiver on it). Through the official
 * MCP client: a buy answered at once (the SDK's completion post) and one the operator decides
 * later (the storefront's durable notification job); a 3.0 buyer's payload is unchanged.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [seller, receiver] = await Promise.all([startSeller('mcp'), startWebhookReceiver()]);
}, 90_000);
afterAll(async () => {
  await Promise.all([seller?.close(), receiver?.close()]);
  await h?.close();
});

const keyPattern = /^[A-Za-z0-9_.:-]{16,255}$/;

async function buyOn(platformId: string, pin: boolean, operationId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  try {
    const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
    const product = products[0];
    return await agent.call('create_media_buy', {
      ...(pin && { adcp_version: '3.1' }),
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
      push_notification_config: {
        url: `${receiver.url}/${operationId}`,
        operation_id: operationId,
      },
    });
  } finally {
    await agent.close();
  }
}

const to = (operationId: string) => (w: { path: string }) => w.path.endsWith(`/${operationId}`);

describe('webhooks to a 3.1 buyer', () => {
  it('echo operation_id with a well-formed idempotency_key on a buy answered at once', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
    const created = await buyOn(sf.platformId, true, 'op_sync_31_explicit');
    expect(created.isError, JSON.stringify(created)).toBe(false);
    const hook = await receiver.next(to('op_sync_31_explicit'));
    expect(hook.body).toMatchObject({ operation_id: 'op_sync_31_explicit', status: 'completed' });
    expect(hook.body.idempotency_key).toMatch(keyPattern);

    // A 3.0 buyer's payload is as before: 3.0's has no operation_id.
    const old = await buyOn(sf.platformId, false, 'op_sync_30_explicit');
    expect(old.isError, JSON.stringify(old)).toBe(false);
    const oldHook = await receiver.next(to('op_sync_30_explicit'));
    expect(oldHook.body).not.toHaveProperty('operation_id');
    expect(oldHook.body.idempotency_key).toMatch(keyPattern);
  }, 90_000);

  it('echo operation_id on the notification of a buy the operator decides later', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const submitted = await buyOn(sf.platformId, true, 'op_decided_31');
    expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
    const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
      key: sf.seller.key,
    });
    const entry = queue.body.data.items[0];
    const decided = await h.call(
      'POST',
      `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
      { key: sf.seller.key, body: { status: 'approved' } },
    );
    expect(decided.status).toBe(200);
    const hook = await receiver.next(
      (w) => to('op_decided_31')(w) && w.body?.status === 'completed',
    );
    expect(hook.body).toMatchObject({ operation_id: 'op_decided_31', task_id: submitted.task_id });
    expect(hook.body.idempotency_key).toMatch(keyPattern);
  }, 90_000);
});
