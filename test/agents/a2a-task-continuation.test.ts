import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { listen, storefrontWith } from './storefront-agent-support.js';

/*
 * After a submitted answer, @adcp/sdk 6.11's client sends its next message with the AdCP
 * `task_id` of that answer as the A2A `taskId`: a task the A2A side never had (the adapter
 * completes the A2A task and names the AdCP task in its artifact). Over A2A with the official
 * client, a buyer's next call (list_tasks, to find that very task) then failed "Task not found".
 * A message naming a task the caller has none of now starts a new one; another caller's task id
 * is no more than an unknown one.
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

const v31 = { adcp_version: '3.1' };
const acme = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle.example',
  sandbox: true,
};
const taskId = 'task_async_products_a2a';

describe('A2A messages naming a task', () => {
  it('answers the call after a submitted answer that names the AdCP task as its A2A task', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const [mine, theirs] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const agent = await a2aBuyer(base, sf.platformId, mine.key);
    const stranger = await a2aBuyer(base, sf.platformId, theirs.key);
    const forced = await agent.call('comply_test_controller', {
      ...v31,
      account: acme,
      scenario: 'force_get_products_arm',
      params: { arm: 'submitted', task_id: taskId, message: 'Curation queued' },
    });
    expect(forced).toMatchObject({ success: true });
    const submitted = await agent.call('get_products', {
      ...v31,
      account: acme,
      buying_mode: 'brief',
      brief: 'Display for a fall trail campaign',
    });
    expect(submitted).toMatchObject({ status: 'submitted', task_id: taskId });

    // The official client's next message: the AdCP task id as the A2A task it continues.
    const listed = await agent.call(
      'list_tasks',
      { ...v31, account: acme, filters: { task_ids: [taskId] } },
      taskId,
    );
    expect(listed.state).toBe('completed');
    expect(listed.tasks).toEqual([
      expect.objectContaining({ task_id: taskId, task_type: 'get_products', status: 'submitted' }),
    ]);

    // Another buyer naming the same id: a new task of its own; its account has no such task.
    const elsewhere = await stranger.call(
      'list_tasks',
      { ...v31, account: acme, filters: { task_ids: [taskId] } },
      taskId,
    );
    expect(elsewhere.state).toBe('completed');
    expect(elsewhere.tasks).toEqual([]);
  });
});
