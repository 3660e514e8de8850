import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
// The id every run of the create_media_buy_async storyboard forces.
const storyboardTaskId = 'task_async_signed_io_q2';

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** Seeds a sandbox product, forces the submitted arm under `taskId`, then buys it. */
async function forcedBuy(agent: Agent, taskId: string) {
  await agent.call('comply_test_controller', {
    scenario: 'seed_product',
    account: sandbox,
    params: { product_id: 'async_io', fixture: { delivery_type: 'guaranteed' } },
  });
  const forced = await agent.call('comply_test_controller', {
    scenario: 'force_create_media_buy_arm',
    account: sandbox,
    params: { arm: 'submitted', task_id: taskId },
  });
  expect(forced).toMatchObject({ success: true });
  return agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account: sandbox,
    brand: { domain: 'test.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    packages: [{ product_id: 'async_io', pricing_option_id: 'async_io_cpm', budget: 5000 }],
  });
}

describe('submitted create_media_buy on a storefront agent', () => {
  it('honours the same forced task id for a buyer on every storefront, each task its own', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const other = await createCustomer(h, { role: 'BUYER' });
    const stores = [
      await storefrontWith(h, [{ sourceId: 'one', url: seller.url }]),
      await storefrontWith(h, [{ sourceId: 'two', url: seller.url }]),
    ];
    for (const sf of stores) {
      const agent = await agentClient(base, sf.platformId, buyer.key);
      const stranger = await agentClient(base, sf.platformId, other.key);
      try {
        const created = await forcedBuy(agent, storyboardTaskId);
        expect(created, JSON.stringify(created)).toMatchObject({
          isError: false,
          status: 'submitted',
          task_id: storyboardTaskId,
        });
        expect(created).not.toHaveProperty('media_buy_id');
        const task = await agent.call('tasks_get', { task_id: storyboardTaskId, account: sandbox });
        expect(task).toMatchObject({
          task_id: storyboardTaskId,
          task_type: 'create_media_buy',
          status: 'submitted',
        });
        // Another buyer finds no such task on the storefront, though it may force the same id.
        const probed = await stranger.call('tasks_get', {
          task_id: storyboardTaskId,
          account: sandbox,
        });
        expect(JSON.stringify(probed)).toContain('REFERENCE_NOT_FOUND');
      } finally {
        await agent.close();
        await stranger.close();
      }
    }
  });

  it('refuses, as the buyer’s mistake, a forced task id the buyer already holds there', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const sf = await storefrontWith(h, [{ sourceId: 'one', url: seller.url }]);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const taskId = `task_${randomUUID()}`;
      expect(await forcedBuy(agent, taskId)).toMatchObject({ status: 'submitted' });
      const again = await forcedBuy(agent, taskId);
      expect(again.isError).toBe(true);
      expect(JSON.stringify(again)).toContain('INVALID_REQUEST');
      expect(JSON.stringify(again)).toContain(taskId);
    } finally {
      await agent.close();
    }
  });
});
