import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * The test controller's AdCP 3.1 tasks, as the 3.1.19 storyboards drive them over MCP with the
 * official client: get_products_async (a forced submitted get_products is a task of the caller,
 * listed and polled under its account only, completed by force_task_completion on another
 * instance, its result polled and posted to the request's webhook) and create_media_buy_async
 * (gated on the 3.1 capabilities naming force_create_media_buy_arm).
 */
let h: Harness;
let base: string;
let other: FastifyInstance;
let otherBase: string;
let seller: RunningSeller;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // A second instance over the same database: what one takes, the other settles.
  other = await h.buildApp({}, { services: true });
  await other.listen({ host: '127.0.0.1', port: 0 });
  otherBase = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
  [seller, receiver] = await Promise.all([startSeller('mcp'), startWebhookReceiver()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([seller?.close(), receiver?.close(), other?.close()]);
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const acme = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle-agency.example',
  sandbox: true,
};
const otherBrand = {
  brand: { domain: 'otherbrand.example' },
  operator: 'other-operator.example',
  sandbox: true,
};
const taskId = 'task_async_products_acme_q3';

/** get_products_async's terminal result (force_task_completion's params.result). */
const result = {
  products: [
    {
      product_id: 'async_curated_trail_display',
      name: 'Async curated trail display',
      description: 'Curated display inventory for the Acme Outdoor fall trail campaign.',
      publisher_properties: [
        { publisher_domain: 'outdoormagazine.example', selection_type: 'all' },
      ],
      channels: ['display'],
      delivery_type: 'guaranteed',
      format_ids: [{ agent_url: 'https://creative.adcontextprotocol.org/', id: 'display_300x250' }],
      pricing_options: [
        {
          pricing_option_id: 'async_curated_trail_cpm',
          pricing_model: 'cpm',
          currency: 'USD',
          fixed_price: 14,
        },
      ],
      reporting_capabilities: {
        available_reporting_frequencies: ['daily'],
        expected_delay_minutes: 60,
        timezone: 'UTC',
        supports_webhooks: false,
        available_metrics: ['impressions', 'clicks', 'spend'],
        date_range_support: 'date_range',
      },
    },
  ],
  cache_scope: 'public',
  context: { correlation_id: 'get_products_async--terminal_result' },
};

async function buyers() {
  const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
  const [mine, theirs] = await Promise.all([
    createCustomer(h, { role: 'BUYER' }),
    createCustomer(h, { role: 'BUYER' }),
  ]);
  const agent = await agentClient(base, sf.platformId, mine.key);
  const elsewhere = await agentClient(otherBase, sf.platformId, mine.key);
  const stranger = await agentClient(base, sf.platformId, theirs.key);
  const control = (
    who: typeof agent,
    scenario: string,
    params: Record<string, unknown>,
    account: Record<string, unknown> = acme,
  ) => who.call('comply_test_controller', { ...v31, account, scenario, params });
  const close = () => Promise.all([agent.close(), elsewhere.close(), stranger.close()]);
  return { agent, elsewhere, stranger, control, close };
}

describe('get_products_async', () => {
  it('records the forced submitted get_products as the caller’s task, listed, completed and posted', async () => {
    const { agent, elsewhere, stranger, control, close } = await buyers();
    try {
      const forced = await control(agent, 'force_get_products_arm', {
        arm: 'submitted',
        task_id: taskId,
        message: 'Custom product curation queued',
      });
      expect(forced).toMatchObject({
        success: true,
        forced: { arm: 'submitted', task_id: taskId },
      });
      // Another buyer forces the same id on the same storefront: its own task.
      await control(stranger, 'force_get_products_arm', { arm: 'submitted', task_id: taskId });

      // A wholesale request is feed access: it never meets the directive.
      const feed = await agent.call('get_products', {
        ...v31,
        buying_mode: 'wholesale',
        account: acme,
      });
      expect(feed.status).toBe('completed');
      expect(Array.isArray(feed.products)).toBe(true);

      const submitted = await agent.call('get_products', {
        ...v31,
        buying_mode: 'brief',
        brief: 'Curate display and video inventory for an Acme Outdoor fall trail campaign.',
        pagination: { max_results: 5 },
        account: acme,
        push_notification_config: {
          url: `${receiver.url}/products-async`,
          operation_id: 'op_get_products_async_terminal',
        },
        context: { correlation_id: 'get_products_async--get_products_submitted' },
      });
      expect(submitted, JSON.stringify(submitted)).toMatchObject({
        status: 'submitted',
        task_id: taskId,
        context: { correlation_id: 'get_products_async--get_products_submitted' },
      });
      for (const field of ['products', 'proposals', 'result'])
        expect(submitted).not.toHaveProperty(field);
      const theirs = await stranger.call('get_products', {
        ...v31,
        buying_mode: 'brief',
        brief: 'x',
        account: acme,
      });
      expect(theirs).toMatchObject({ status: 'submitted', task_id: taskId });

      const listed = await agent.call('list_tasks', {
        ...v31,
        account: acme,
        filters: { task_ids: [taskId], task_type: 'get_products', has_webhook: true },
        pagination: { max_results: 1 },
      });
      expect(adcp31Schemas.listTasksResponse.safeParse(listed).success).toBe(true);
      expect(listed.query_summary).toMatchObject({ total_matching: 1, returned: 1 });
      expect(listed.tasks[0]).toMatchObject({
        task_id: taskId,
        task_type: 'get_products',
        domain: 'media-buy',
        status: 'submitted',
        has_webhook: true,
      });
      const wrongAccount = await agent.call('list_tasks', {
        ...v31,
        account: otherBrand,
        filters: { task_ids: [taskId], task_type: 'get_products' },
      });
      expect(wrongAccount.query_summary).toMatchObject({ total_matching: 0, returned: 0 });

      // The other instance completes it (the directive was this one's memory; the task is not).
      const wrongResult = await control(elsewhere, 'force_task_completion', {
        task_id: taskId,
        result: { products: 'none' },
      });
      expect(wrongResult).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
      const completed = await control(elsewhere, 'force_task_completion', {
        task_id: taskId,
        result,
      });
      expect(completed, JSON.stringify(completed)).toMatchObject({
        success: true,
        previous_state: 'submitted',
        current_state: 'completed',
      });
      const again = await control(elsewhere, 'force_task_completion', { task_id: taskId, result });
      expect(again).toMatchObject({ success: false, error: 'INVALID_TRANSITION' });
      const unknown = await control(agent, 'force_task_completion', {
        task_id: 'task_never',
        result,
      });
      expect(unknown).toMatchObject({ success: false, error: 'NOT_FOUND' });

      const hidden = await agent.call('get_task_status', {
        ...v31,
        task_id: taskId,
        include_result: true,
        account: otherBrand,
      });
      expect(hidden.adcp_error).toMatchObject({ code: 'REFERENCE_NOT_FOUND' });
      const polled = await elsewhere.call('get_task_status', {
        ...v31,
        task_id: taskId,
        include_result: true,
        account: acme,
      });
      expect(adcp31Schemas.getTaskStatusResponse.safeParse(polled).success).toBe(true);
      expect(polled).toMatchObject({
        task_id: taskId,
        task_type: 'get_products',
        protocol: 'media-buy',
        status: 'completed',
        has_webhook: true,
        result: {
          products: [{ product_id: 'async_curated_trail_display' }],
          cache_scope: 'public',
        },
      });
      // The other buyer's task of the same id is still its own, still submitted.
      const strangers = await stranger.call('get_task_status', {
        ...v31,
        task_id: taskId,
        account: acme,
      });
      expect(strangers).toMatchObject({ task_id: taskId, status: 'submitted' });

      const hook = await receiver.next((w) => w.path.endsWith('/products-async'));
      expect(hook.body).toMatchObject({
        operation_id: 'op_get_products_async_terminal',
        task_id: taskId,
        task_type: 'get_products',
        protocol: 'media-buy',
        status: 'completed',
        result: {
          products: [{ pricing_options: [{ pricing_option_id: 'async_curated_trail_cpm' }] }],
          cache_scope: 'public',
          context: { correlation_id: 'get_products_async--terminal_result' },
        },
      });
      expect(hook.body.idempotency_key).toEqual(expect.any(String));
    } finally {
      await close();
    }
  }, 120_000);
});

describe('create_media_buy_async', () => {
  it('is declared to a 3.1 buyer and answers the forced task id; a 3.0 buyer’s capabilities are as before', async () => {
    const { agent, control, close } = await buyers();
    try {
      const old = await agent.call('get_adcp_capabilities', {});
      expect(old.compliance_testing.scenarios).toEqual([
        'force_media_buy_status',
        'force_creative_status',
        'force_account_status',
        'simulate_delivery',
        'simulate_budget_spend',
      ]);
      const caps = await agent.call('get_adcp_capabilities', v31);
      const declared: string[] = caps.compliance_testing.scenarios;
      expect(declared).toEqual(
        expect.arrayContaining([
          'force_create_media_buy_arm',
          'force_get_products_arm',
          'force_task_completion',
        ]),
      );
      // Every scenario declared is served (none is UNKNOWN_SCENARIO), and every one listed is declared.
      for (const scenario of declared) {
        const answer = await control(agent, scenario, {});
        expect(answer.error, `${scenario}: ${JSON.stringify(answer)}`).not.toBe('UNKNOWN_SCENARIO');
      }
      const listed = await control(agent, 'list_scenarios', {});
      expect(declared).toEqual(expect.arrayContaining(listed.scenarios));

      const seeded = await control(agent, 'seed_product', {
        product_id: 'async_signed_io_q2',
        fixture: {
          delivery_type: 'guaranteed',
          channels: ['video'],
          format_ids: [{ id: 'video_30s' }],
        },
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      await control(agent, 'seed_pricing_option', {
        product_id: 'async_signed_io_q2',
        pricing_option_id: 'cpm_guaranteed',
        fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 18 },
      });
      const forced = await control(agent, 'force_create_media_buy_arm', {
        arm: 'submitted',
        task_id: 'task_async_signed_io_q2',
        message: 'Awaiting IO signature',
      });
      expect(forced).toMatchObject({
        success: true,
        forced: { task_id: 'task_async_signed_io_q2' },
      });
      const created = await agent.call('create_media_buy', {
        ...v31,
        brand: { domain: 'acmeoutdoor.example' },
        account: acme,
        start_time: 'asap',
        end_time: '2099-09-30T23:59:59Z',
        packages: [
          { product_id: 'async_signed_io_q2', budget: 30000, pricing_option_id: 'cpm_guaranteed' },
        ],
        idempotency_key: randomUUID(),
        context: { correlation_id: 'create_media_buy_async--create_media_buy_submitted' },
      });
      expect(created, JSON.stringify(created)).toMatchObject({
        status: 'submitted',
        task_id: 'task_async_signed_io_q2',
        context: { correlation_id: 'create_media_buy_async--create_media_buy_submitted' },
      });
      expect(created).not.toHaveProperty('media_buy_id');
      expect(created).not.toHaveProperty('packages');
      // A buy's forced task completes like any forced task, with a create_media_buy answer.
      const done = await control(agent, 'force_task_completion', {
        task_id: 'task_async_signed_io_q2',
        result: { media_buy_id: 'mb_async_q2', packages: [] },
      });
      expect(done, JSON.stringify(done)).toMatchObject({
        success: true,
        current_state: 'completed',
      });
      const polled = await eventually(
        () =>
          agent.call('get_task_status', {
            ...v31,
            task_id: 'task_async_signed_io_q2',
            include_result: true,
          }),
        (answer) => answer['status'] === 'completed',
      );
      expect(polled.result).toMatchObject({ media_buy_id: 'mb_async_q2' });
    } finally {
      await close();
    }
  }, 120_000);
});
