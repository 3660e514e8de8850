import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

describe('storefront agent state lives in the database', () => {
  it('a second instance decides a buy queued on the first, completes its task and replays its key', async () => {
    const first = await listen(h);
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const onFirst = await agentClient(first, sf.platformId, buyer.key);
    const { products } = await onFirst.call('get_products', { buying_mode: 'wholesale' });
    const request = buyOf(products[0]);
    const submitted = await onFirst.call('create_media_buy', request);
    expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
    await onFirst.close();

    // Another instance over the same database, with none of the first one's memory.
    const other = await h.buildApp({}, { services: true });
    await other.listen({ host: '127.0.0.1', port: 0 });
    const second = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    const onSecond = await agentClient(second, sf.platformId, buyer.key);
    try {
      const replay = await onSecond.call('create_media_buy', request);
      expect(replay.task_id).toBe(submitted.task_id);
      const [entry] = (
        await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
          key: sf.seller.key,
          app: other,
        })
      ).body.data.items;
      const decided = await h.call(
        'POST',
        `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
        {
          key: sf.seller.key,
          app: other,
          body: { status: 'approved' },
        },
      );
      expect(decided.body.data.forwardOutcome).toBe('all_completed');
      const task = await onSecond.call('tasks_get', {
        task_id: submitted.task_id,
        account: { account_id: 'acme_media' },
      });
      expect(task.status).toBe('completed');
      expect(JSON.stringify(task)).toContain(entry.mediaBuyId);
    } finally {
      await onSecond.close();
    }
  });
});
