import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let seller: RunningSeller;
/** The harness app on a loopback port: the first instance. */
let first: string;

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
  first = await listen(h);
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

/** Another instance over the same database, with its own services (none of the first's memory). */
async function secondInstance() {
  const other = await h.buildApp({}, { services: true });
  await other.listen({ host: '127.0.0.1', port: 0 });
  return { other, second: `http://127.0.0.1:${(other.server.address() as AddressInfo).port}` };
}

describe('storefront agent state lives in the database', () => {
  it('a second instance decides a buy queued on the first, completes its task and replays its key', async () => {
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
    const { other, second } = await secondInstance();
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

describe('tasks_get with the task id alone (AdCP 3.0 tasks-get-request)', () => {
  it('finds the task for the buyer that created it on any instance, and for no other buyer', async () => {
    const { other, second } = await secondInstance();
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
      mediaBuyApproval: 'manual',
    });
    const owner = await createCustomer(h, { role: 'BUYER' });
    const stranger = await createCustomer(h, { role: 'BUYER' });
    const ownerOnFirst = await agentClient(first, sf.platformId, owner.key);
    const ownerOnSecond = await agentClient(second, sf.platformId, owner.key);
    const strangerOnFirst = await agentClient(first, sf.platformId, stranger.key);
    const strangerOnSecond = await agentClient(second, sf.platformId, stranger.key);
    try {
      const { products } = await ownerOnFirst.call('get_products', { buying_mode: 'wholesale' });
      const submitted = await ownerOnFirst.call('create_media_buy', buyOf(products[0]));
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      const taskId = submitted.task_id as string;

      // The creator, by task id alone, on both instances and under both tool names.
      for (const client of [ownerOnFirst, ownerOnSecond]) {
        for (const tool of ['tasks_get', 'tasks/get']) {
          const task = await client.call(tool, { task_id: taskId });
          expect(task, tool).toMatchObject({
            isError: false,
            task_id: taskId,
            status: 'submitted',
          });
        }
      }
      // With the account it was created under it is found too; under another of its accounts not.
      const named = await ownerOnSecond.call('tasks_get', {
        task_id: taskId,
        account: { account_id: 'acme_media' },
      });
      expect(named).toMatchObject({ isError: false, status: 'submitted' });
      const elsewhere = await ownerOnSecond.call('tasks_get', {
        task_id: taskId,
        account: { account_id: 'another_account' },
      });
      expect(elsewhere.isError).toBe(true);

      // Another buyer never finds it: not by id alone, not naming the creator's account id.
      for (const client of [strangerOnFirst, strangerOnSecond]) {
        const alone = await client.call('tasks_get', { task_id: taskId });
        expect(alone.isError).toBe(true);
        expect(JSON.stringify(alone)).toContain('REFERENCE_NOT_FOUND');
        const borrowed = await client.call('tasks_get', {
          task_id: taskId,
          account: { account_id: 'acme_media' },
        });
        expect(borrowed.isError).toBe(true);
        expect(JSON.stringify(borrowed)).not.toContain('submitted');
      }

      // Decided on the second instance, the creator reads the outcome by id on the first.
      const [entry] = (
        await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
          key: sf.seller.key,
          app: other,
        })
      ).body.data.items;
      const decided = await h.call(
        'POST',
        `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
        { key: sf.seller.key, app: other, body: { status: 'approved' } },
      );
      expect(decided.body.data.forwardOutcome).toBe('all_completed');
      const done = await ownerOnFirst.call('tasks_get', { task_id: taskId });
      expect(done).toMatchObject({ isError: false, status: 'completed' });
      expect(JSON.stringify(done.result)).toContain(entry.mediaBuyId);
      const still = await strangerOnSecond.call('tasks_get', { task_id: taskId });
      expect(JSON.stringify(still)).not.toContain(entry.mediaBuyId);
    } finally {
      for (const c of [ownerOnFirst, ownerOnSecond, strangerOnFirst, strangerOnSecond]) {
        await c.close();
      }
    }
  });
});
