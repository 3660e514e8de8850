import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's get_task_status and list_tasks on a storefront agent whose buys await the
 * operator's approval (each a submitted task): a buyer reads and lists its own tasks, scoped as
 * tasks_get scopes them; another buyer finds none of them.
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
const approvals = '/api/v2/storefront/media-buy-approvals';
type Agent = Awaited<ReturnType<typeof agentClient>>;

/** A buy awaiting approval under `accountId`: its submitted answer (task_id). */
async function submittedBuy(agent: Agent, accountId: string) {
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  const product = products[0];
  const answer = await agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account: { account_id: accountId },
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
  expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'submitted' });
  return answer.task_id as string;
}

async function setting() {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
    mediaBuyApproval: 'manual',
  });
  const [mine, theirs] = await Promise.all([
    createCustomer(h, { role: 'BUYER' }),
    createCustomer(h, { role: 'BUYER' }),
  ]);
  const agent = await agentClient(base, sf.platformId, mine.key);
  const stranger = await agentClient(base, sf.platformId, theirs.key);
  const first = await submittedBuy(agent, 'acme_media');
  const second = await submittedBuy(agent, 'other_media');
  const strangers = await submittedBuy(stranger, 'acme_media');
  return { sf, mine, theirs, agent, stranger, first, second, strangers };
}

describe('get_task_status', () => {
  it('reads the caller’s task, its result once done; another buyer’s is not found', async () => {
    const { sf, agent, stranger, first, strangers } = await setting();
    try {
      const task = await agent.call('get_task_status', { ...v31, task_id: first });
      expect(adcp31Schemas.getTaskStatusResponse.safeParse(task).success).toBe(true);
      expect(task).toMatchObject({
        isError: false,
        task_id: first,
        task_type: 'create_media_buy',
        protocol: 'media-buy',
        status: 'submitted',
        adcp_version: '3.1',
      });
      expect(task).not.toHaveProperty('result');

      for (const [who, id, account] of [
        [stranger, first, undefined],
        [agent, strangers, undefined],
        // The caller's own task, under another of its accounts than the one named.
        [agent, first, { account_id: 'other_media' }],
        [agent, 'task_no_such_thing', undefined],
      ] as const) {
        const missing = await who.call('get_task_status', {
          ...v31,
          task_id: id,
          ...(account && { account }),
        });
        expect(missing).toMatchObject({
          isError: true,
          status: 'failed',
          adcp_error: { code: 'REFERENCE_NOT_FOUND', field: 'task_id', message: 'No such task' },
        });
      }

      // The queue is newest first: the oldest entry is the caller's first buy.
      const entry = (await h.call('GET', approvals, { key: sf.seller.key })).body.data.items.at(-1);
      const decided = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: sf.seller.key,
        body: { status: 'approved' },
      });
      expect(decided.status).toBe(200);
      // The decision settles the buyer's task a moment later (buys/settle/task-notifications.ts).
      const done: Record<string, unknown> = await eventually(
        () =>
          agent.call('get_task_status', {
            ...v31,
            task_id: first,
            account: { account_id: 'acme_media' },
            include_result: true,
            context: { poll: 1 },
          }),
        (answer) => answer['status'] !== 'submitted',
      );
      expect(done, JSON.stringify(done)).toMatchObject({
        status: 'completed',
        completed_at: expect.any(String),
        result: { media_buy_id: entry.mediaBuyId },
        context: { poll: 1 },
      });
      // A 3.0 caller may use the tool too; its answer has no 3.1 envelope but the task's state.
      const unpinned = await agent.call('get_task_status', { task_id: first });
      expect(unpinned).toMatchObject({ status: 'completed', task_id: first });
      expect(unpinned).not.toHaveProperty('adcp_version');
      expect(unpinned).not.toHaveProperty('result');

      const invalid = await agent.call('get_task_status', { ...v31, include_result: 'yes' });
      expect(invalid.adcp_error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'task_id' });
    } finally {
      await Promise.all([agent.close(), stranger.close()]);
    }
  });
});

describe('list_tasks', () => {
  it('lists only the caller’s tasks, filtered, sorted and paged', async () => {
    const { agent, stranger, first, second, strangers } = await setting();
    try {
      const all = await agent.call('list_tasks', { ...v31, context: { list: 1 } });
      const parsed = adcp31Schemas.listTasksResponse.safeParse(all);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(all).toMatchObject({
        status: 'completed',
        adcp_version: '3.1',
        context: { list: 1 },
        query_summary: {
          total_matching: 2,
          returned: 2,
          status_breakdown: { submitted: 2 },
          domain_breakdown: { 'media-buy': 2 },
          sort_applied: { field: 'created_at', direction: 'desc' },
        },
        pagination: { has_more: false, total_count: 2 },
      });
      // Newest first.
      expect(all.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([second, first]);
      expect(all.tasks[0]).toMatchObject({
        task_type: 'create_media_buy',
        domain: 'media-buy',
        status: 'submitted',
      });

      const theirs = await stranger.call('list_tasks', v31);
      expect(theirs.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([strangers]);

      const underAccount = await agent.call('list_tasks', {
        ...v31,
        account: { account_id: 'other_media' },
      });
      expect(underAccount.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([second]);

      const none = await agent.call('list_tasks', {
        ...v31,
        filters: { statuses: ['completed', 'failed'] },
      });
      expect(none).toMatchObject({ tasks: [], query_summary: { total_matching: 0 } });
      expect(none.query_summary.filters_applied).toEqual(['statuses']);
      const byId = await agent.call('list_tasks', {
        ...v31,
        filters: { task_ids: [first, strangers] },
      });
      expect(byId.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([first]);

      const page1 = await agent.call('list_tasks', {
        ...v31,
        sort: { field: 'created_at', direction: 'asc' },
        pagination: { max_results: 1 },
      });
      expect(page1.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([first]);
      expect(page1.pagination).toMatchObject({ has_more: true, cursor: expect.any(String) });
      const page2 = await agent.call('list_tasks', {
        ...v31,
        sort: { field: 'created_at', direction: 'asc' },
        pagination: { max_results: 1, cursor: page1.pagination.cursor },
      });
      expect(page2.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([second]);
      expect(page2.pagination).toEqual({ has_more: false, total_count: 2 });
      for (const field of ['task_type', 'protocol', 'status'] as const) {
        const sorted = await agent.call('list_tasks', {
          ...v31,
          sort: { field, direction: 'asc' },
        });
        expect(sorted, JSON.stringify(sorted)).toMatchObject({ isError: false });
        expect(sorted.tasks, field).toHaveLength(2);
        expect(sorted.query_summary.sort_applied).toEqual({ field, direction: 'asc' });
      }

      const badCursor = await agent.call('list_tasks', {
        ...v31,
        pagination: { cursor: 'not-ours' },
      });
      expect(badCursor.adcp_error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'pagination.cursor',
      });
      const badFilter = await agent.call('list_tasks', {
        ...v31,
        filters: { statuses: ['sleeping'] },
      });
      expect(badFilter.adcp_error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'filters.statuses[0]',
      });
    } finally {
      await Promise.all([agent.close(), stranger.close()]);
    }
  });

  it('answers over A2A as over MCP, scoped the same', async () => {
    const { sf, mine, theirs, agent, stranger, first, second } = await setting();
    await Promise.all([agent.close(), stranger.close()]);
    const a2a = await a2aBuyer(base, sf.platformId, mine.key);
    const a2aStranger = await a2aBuyer(base, sf.platformId, theirs.key);
    const task = await a2a.call('get_task_status', { ...v31, task_id: first });
    expect(task).toMatchObject({ state: 'completed', task_id: first, status: 'submitted' });
    const refused = await a2aStranger.call('get_task_status', { ...v31, task_id: first });
    expect(refused).toMatchObject({
      state: 'failed',
      adcp_error: { code: 'REFERENCE_NOT_FOUND' },
    });
    const listed = await a2a.call('list_tasks', v31);
    expect(listed.tasks, JSON.stringify(listed)).toBeDefined();
    expect(listed.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([second, first]);
  });
});
