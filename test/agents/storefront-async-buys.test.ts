import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

let h: Harness;
let base: string;
let seller: RunningSeller;
let ioSeller: SdkSeller;

beforeAll(async () => {
  // @adcp/sdk's guaranteed example seller: live buys go through its (mock) IO desk as tasks.
  ioSeller = await startSdkSeller('guaranteed');
  h = await createHarness();
  base = await listen(h);
  // The follow-up of sources' tasks runs as a background job, as under `serve`.
  await h.services.jobs.start();
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
  await ioSeller?.close();
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

describe('a source that takes create_media_buy as a task', () => {
  const live = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

  it('answers the buyer the submitted arm, then completes the buyer’s task with the buy', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'io', url: ioSeller.url, token: ioSeller.token },
    ]);
    // The agency names itself as the live account's operator (upstream-account.ts).
    const buyer = await createCustomer(h, { role: 'BUYER', domain: live.operator });
    const other = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const stranger = await agentClient(base, sf.platformId, other.key);
    try {
      const shown = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        account: live,
      });
      const product = shown.products[0];
      expect(product, JSON.stringify(shown)).toBeDefined();
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: live,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: new Date(Date.now() + 86_400_000).toISOString(),
        end_time: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 50_000,
          },
        ],
      });
      expect(created, JSON.stringify(created)).toMatchObject({
        isError: false,
        status: 'submitted',
      });
      expect(created.task_id).toEqual(expect.any(String));
      expect(created).not.toHaveProperty('media_buy_id');
      expect(created).not.toHaveProperty('packages');

      // The buyer polls our task; the job asks the source's until it settles.
      const task: Record<string, unknown> = await eventually(
        () => agent.call('tasks_get', { task_id: created.task_id, account: live }),
        (answer) => answer['status'] === 'completed' || answer['status'] === 'failed',
        30_000,
      );
      expect(task, JSON.stringify(task)).toMatchObject({
        status: 'completed',
        task_type: 'create_media_buy',
      });
      const result = task['result'] as {
        media_buy_id: string;
        packages: Array<{ package_id: string; product_id: string }>;
      };
      expect(result.media_buy_id).toMatch(/^mb_/);
      expect(result.packages).toEqual([
        expect.objectContaining({ product_id: product.product_id }),
      ]);
      const bought = await agent.call('get_media_buys', {
        media_buy_ids: [result.media_buy_id],
        account: live,
      });
      expect(bought.media_buys).toHaveLength(1);
      expect(bought.media_buys[0].packages[0].package_id).toBe(result.packages[0]!.package_id);
      // The task is the buyer's: another buyer of the storefront finds none.
      const probed = await stranger.call('tasks_get', { task_id: created.task_id, account: live });
      expect(JSON.stringify(probed)).toContain('REFERENCE_NOT_FOUND');
    } finally {
      await agent.close();
      await stranger.close();
    }
  }, 60_000);

  // 3.1.19's sales_guaranteed storyboard seeds its own guaranteed fixtures, which a storefront
  // books in its sandbox: over a storefront the runner never reaches the seller's IO desk. This is
  // that storyboard's flow over the seller's own live inventory, as a 3.1 buyer plays it.
  it('carries the sales_guaranteed flow through the seller’s IO desk for a 3.1 buyer', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'io', url: ioSeller.url, token: ioSeller.token },
    ]);
    // Another brand than the test above: one upstream account serves one buyer of the seller.
    const account = { brand: { domain: 'premium-sports.example' }, operator: live.operator };
    const buyer = await createCustomer(h, { role: 'BUYER', domain: live.operator });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const hooks = await startWebhookReceiver();
    const v31 = { adcp_version: '3.1', account };
    try {
      const shown = await agent.call('get_products', {
        ...v31,
        buying_mode: 'brief',
        brief: 'Guaranteed premium video on sports publishers, completion rate SLA',
      });
      const product = shown.products?.[0];
      expect(product, JSON.stringify(shown)).toMatchObject({ delivery_type: 'guaranteed' });
      expect(product.format_ids[0]).toMatchObject({ id: expect.any(String) });
      expect(product.pricing_options[0]).toMatchObject({ fixed_price: expect.any(Number) });
      const created = await agent.call('create_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        brand: account.brand,
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 30_000,
            creative_assignments: [{ creative_id: 'video_30s_trail_pro' }],
          },
        ],
        push_notification_config: {
          url: hooks.url,
          authentication: { schemes: ['HMAC-SHA256'], credentials: 'x'.repeat(32) },
        },
        context: { correlation_id: 'sales_guaranteed--create_media_buy' },
      });
      expect(created, JSON.stringify(created)).toMatchObject({
        status: 'submitted',
        context: { correlation_id: 'sales_guaranteed--create_media_buy' },
      });
      expect(created).not.toHaveProperty('media_buy_id');

      // The IO signed, the buyer's webhook gets the task's end with the buy.
      const hook = await hooks.next((w) => w.body?.task_id === created.task_id, 30_000);
      expect(hook.body).toMatchObject({ status: 'completed', task_type: 'create_media_buy' });
      const mediaBuyId = hook.body.result.media_buy_id as string;
      expect(mediaBuyId).toMatch(/^mb_/);

      const bought = await agent.call('get_media_buys', { ...v31, media_buy_ids: [mediaBuyId] });
      expect(bought.media_buys[0], JSON.stringify(bought)).toMatchObject({
        media_buy_id: mediaBuyId,
        status: expect.stringMatching(/^(active|pending_creatives)$/),
        confirmed_at: expect.any(String),
      });
      const synced = await agent.call('sync_creatives', {
        ...v31,
        idempotency_key: randomUUID(),
        creatives: [
          {
            creative_id: 'video_30s_trail_pro',
            name: 'Trail Pro 3000 - 30s CTV Spot',
            format_id: { agent_url: 'https://your-platform.example.com', id: 'ssai_30s' },
            assets: {
              video: {
                asset_type: 'video',
                url: 'https://cdn.pinnacle-agency.example/trail-pro-30s.mp4',
                width: 1920,
                height: 1080,
                duration_ms: 30_000,
                mime_type: 'video/mp4',
              },
            },
          },
        ],
      });
      expect(synced.creatives?.[0], JSON.stringify(synced)).toMatchObject({ action: 'created' });
      const delivery = await agent.call('get_media_buy_delivery', {
        ...v31,
        media_buy_ids: [mediaBuyId],
        include_package_daily_breakdown: true,
      });
      expect(delivery.media_buy_deliveries, JSON.stringify(delivery)).toEqual([
        expect.objectContaining({ media_buy_id: mediaBuyId }),
      ]);
    } finally {
      await agent.close();
      await hooks.close();
    }
  }, 90_000);
});
