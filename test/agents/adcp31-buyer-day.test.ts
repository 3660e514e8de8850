import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sources } from '../modules/modular-sources/support.js';
import {
  account,
  approvals,
  approved,
  buyerDay,
  buyOf,
  call31,
  creativeFor,
  type Json,
  packageOf,
  readBuy,
  sdkOrders,
} from './adcp31-buyer-day-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * A buyer's whole day with `adcp_version: "3.1"`, as its engineer would script it with the
 * official MCP client (and A2A's), on one storefront over a spreadsheet (modular source) and
 * @adcp/sdk's example non-guaranteed seller, whose seller approves each buy: capabilities,
 * discovery by brief and the wholesale feed's conditional fetch, accounts with a notification
 * config, governance, a buy across both sources with format_option_refs (replayed, and reused
 * with another body), reads, creatives, delivery and tasks. Every 3.1 answer is checked against
 * the spec's 3.1.19 JSON schemas (call31). Changes to buys and a 3.0 buyer on the same kind of
 * storefront: adcp31-buyer-day-changes.test.ts.
 */

const world = buyerDay();
const brief = 'Homepage takeover and outdoor display for a spring launch';
const day = { products: [] as Json[], buyId: '', taskId: '' };
const actionsOf = (entries: Array<{ action: string }>) => entries.map((e) => e.action).sort();
const spreadsheetProduct = () => day.products.find((p) => p.product_id === 'avails__hp-1');
const sdkProduct = () => day.products.find((p) => p.product_id.startsWith('sdk__'));

describe('a 3.1 buyer’s day on a storefront over a spreadsheet and @adcp/sdk’s example seller', () => {
  it('reads the capabilities it will rely on', async () => {
    const caps = await call31(world.agent, 'get_adcp_capabilities');
    expect(caps.adcp).toMatchObject({
      major_versions: [3],
      supported_versions: expect.arrayContaining(['3.0', '3.1']),
      idempotency: { supported: true, replay_ttl_seconds: expect.any(Number) },
    });
    expect(caps.media_buy.buying_modes).toEqual(expect.arrayContaining(['brief', 'wholesale']));
    expect(caps.media_buy.governance_aware).toBe(true);
    expect(caps.specialisms).toEqual(expect.arrayContaining(['sales-non-guaranteed']));
    expect(caps.wholesale_feed_versioning).toMatchObject({ supported: true });
    // Webhook activity is not surfaced: get_media_buys must then omit it (checked below).
    expect(caps.media_buy.propagation_surfaces).not.toContain('webhook');
  });

  it('finds products by brief from both sources, with their format options and actions', async () => {
    const found = await call31(world.agent, 'get_products', {
      buying_mode: 'brief',
      brief,
      account,
    });
    day.products = found.products;
    const hp1 = spreadsheetProduct();
    const acme = sdkProduct();
    expect(hp1, JSON.stringify(found.products.map((p: Json) => p.product_id))).toBeDefined();
    expect(acme).toBeDefined();
    expect(hp1.pricing_options).toEqual([
      expect.objectContaining({ pricing_model: 'cpm', currency: 'USD', fixed_price: 20 }),
    ]);
    expect(hp1.format_options).toEqual([
      expect.objectContaining({
        format_option_id: 'display_300x250',
        format_kind: 'image',
        params: { width: 300, height: 250 },
      }),
    ]);
    for (const product of found.products) {
      const ids = product.format_options.map((o: Json) => o.format_option_id);
      expect(new Set(ids).size, product.product_id).toBe(ids.length);
      expect(ids.every((id: unknown) => typeof id === 'string' && id !== '')).toBe(true);
      expect(actionsOf(product.allowed_actions)).toEqual(
        expect.arrayContaining(['cancel', 'pause', 'resume']),
      );
    }
    // The same discovery over A2A answers the same products.
    const overA2a = await world.a2a.call('get_products', {
      adcp_version: '3.1',
      buying_mode: 'brief',
      brief,
      account,
    });
    expect(overA2a.products.map((p: Json) => p.product_id)).toEqual(
      found.products.map((p: Json) => p.product_id),
    );
  });

  it('mirrors the wholesale feed and probes it: unchanged while nothing moved', async () => {
    const feed = await call31(world.agent, 'get_products', { buying_mode: 'wholesale', account });
    expect(feed.wholesale_feed_version).toEqual(expect.any(String));
    expect(feed.products.map((p: Json) => p.product_id)).toEqual(
      expect.arrayContaining(['avails__hp-1', 'avails__hp-2']),
    );
    const open = await call31(world.agent, 'get_products', { buying_mode: 'wholesale' });
    // 3.1.19's wholesale_feed_products/conditional_fetch: "Ordinary account reads may use the
    // public cache layer", so an account's wholesale read answers public like an anonymous one.
    expect(open.cache_scope).toBe('public');
    expect(feed.cache_scope).toBe('public');
    const probe = await call31(world.agent, 'get_products', {
      buying_mode: 'wholesale',
      account,
      if_wholesale_feed_version: feed.wholesale_feed_version,
      context: { correlation_id: 'mirror-probe' },
    });
    expect(probe).toMatchObject({
      unchanged: true,
      wholesale_feed_version: feed.wholesale_feed_version,
      cache_scope: feed.cache_scope,
      context: { correlation_id: 'mirror-probe' },
    });
    expect(probe).not.toHaveProperty('products');
    // get-products-request.json: a conditional ask is only valid for a wholesale read.
    const briefProbe = await call31(world.agent, 'get_products', {
      buying_mode: 'brief',
      brief,
      account,
      if_wholesale_feed_version: feed.wholesale_feed_version,
    });
    expect(briefProbe.adcp_error).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'if_wholesale_feed_version',
    });
  });

  it('registers its account with a notification config, and its governance agent', async () => {
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    try {
      const synced = await call31(world.agent, 'sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [
          {
            ...account,
            billing: 'operator',
            notification_configs: [
              {
                subscriber_id: 'feed-mirror',
                url: receiver.url,
                event_types: ['product.created', 'product.priced', 'product.removed'],
                authentication: { schemes: ['Bearer'], credentials: 's'.repeat(40) },
              },
            ],
          },
        ],
      });
      expect(synced.accounts).toEqual([
        expect.objectContaining({
          brand: account.brand,
          operator: account.operator,
          action: 'created',
          status: 'active',
          notification_configs: [
            expect.objectContaining({ subscriber_id: 'feed-mirror', url: receiver.url }),
          ],
        }),
      ]);
      expect(JSON.stringify(synced)).not.toContain('ssssssss');
    } finally {
      await receiver.close();
    }
    const governed = await call31(world.agent, 'sync_governance', {
      idempotency_key: randomUUID(),
      accounts: [
        {
          account,
          governance_agents: [
            {
              url: world.governor.url,
              authentication: { schemes: ['Bearer'], credentials: world.governor.token },
            },
          ],
        },
      ],
    });
    expect(governed.accounts).toEqual([
      { account, status: 'synced', governance_agents: [{ url: world.governor.url }] },
    ]);
    expect(JSON.stringify(governed)).not.toContain(world.governor.token);
  });

  it('buys across both sources, replays the buy once, and is refused reusing its key', async () => {
    const [hp1, acme] = [spreadsheetProduct(), sdkProduct()];
    world.governor.decide('approved');
    const [checks, orders] = [world.governor.checks().length, (await sdkOrders(world.sdk)).length];
    const body = buyOf(
      [
        packageOf(hp1, 1000, { context: { buyer_ref: 'homepage' } }),
        packageOf(acme, 5000, { context: { buyer_ref: 'network' } }),
      ],
      { plan_id: 'plan-spring', po_number: 'PO-SPRING-1', context: { correlation_id: 'buy-1' } },
    );
    const submitted = await call31(world.agent, 'create_media_buy', body);
    // The seller approves buys itself: a task the buyer follows.
    expect(submitted).toMatchObject({
      status: 'submitted',
      task_id: expect.any(String),
      context: { correlation_id: 'buy-1' },
    });
    day.taskId = submitted.task_id;
    expect(world.governor.checks().slice(checks)).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({ plan_id: 'plan-spring', tool: 'create_media_buy' }),
      }),
    ]);

    const replayed = await call31(world.agent, 'create_media_buy', body);
    expect(replayed).toMatchObject({ status: 'submitted', task_id: day.taskId });
    const reused = await call31(world.agent, 'create_media_buy', {
      ...body,
      packages: body.packages.slice(0, 1),
      context: { correlation_id: 'buy-1-changed' },
    });
    // 3.1.19's idempotency storyboard (conflict_no_payload_leak) allows the conflict's envelope
    // no field beyond its allowlist: no `field`, no `recovery`, nothing of the first body.
    expect(reused).toMatchObject({
      status: 'failed',
      adcp_error: { code: 'IDEMPOTENCY_CONFLICT' },
      context: { correlation_id: 'buy-1-changed' },
    });
    expect(reused.adcp_error).not.toHaveProperty('field');
    // One buy awaits the seller, checked once by the governance agent.
    const queue = (await world.h.call('GET', approvals, { key: world.sf.seller.key })).body.data;
    expect(queue.items).toHaveLength(1);
    expect(world.governor.checks()).toHaveLength(checks + 1);
    day.buyId = await approved(world, day.taskId);

    // At the sources, the buy as asked: one order at the example seller, 50,000 impressions
    // ($1,000 at CPM 20) booked on the spreadsheet's ledger.
    expect((await sdkOrders(world.sdk)).slice(orders)).toHaveLength(1);
    const ledger = await world.h.call('GET', `${sources}/avails/modular/ledger`, {
      key: world.sf.seller.key,
    });
    expect(ledger.body.data.avails.find((a: Json) => a.availId === 'hp-1')).toMatchObject({
      capacity: 100_000,
      booked: 50_000,
      available: 50_000,
    });
    const tasks = await call31(world.agent, 'list_tasks');
    expect(tasks.tasks.map((t: Json) => [t.task_id, t.status])).toEqual([
      [day.taskId, 'completed'],
    ]);
  });

  it('reads the buy back with its figures, actions and health', async () => {
    const read = await call31(world.agent, 'get_media_buys', {
      account,
      media_buy_ids: [day.buyId],
      include_webhook_activity: true,
    });
    const [buy] = read.media_buys;
    expect(buy).toMatchObject({
      media_buy_id: day.buyId,
      currency: 'USD',
      total_budget: 6000,
      revision: expect.any(Number),
      health: 'ok',
      impairments: [],
    });
    expect(buy.confirmed_at).toEqual(expect.any(String));
    expect(buy).not.toHaveProperty('webhook_activity');
    const byRef = Object.fromEntries(buy.packages.map((p: Json) => [p.context?.buyer_ref, p]));
    expect(byRef['homepage']).toMatchObject({
      product_id: 'avails__hp-1',
      budget: 1000,
      format_option_refs: [{ scope: 'product', format_option_id: 'display_300x250' }],
    });
    expect(byRef['network']).toMatchObject({ product_id: sdkProduct().product_id, budget: 5000 });
    expect(actionsOf(buy.available_actions)).toContain('cancel');
  });

  it('syncs its creative to the network package and lists it back', async () => {
    const network = await packageByRef('network');
    const creative = creativeFor('cr_spring_1', sdkProduct());
    const synced = await call31(world.agent, 'sync_creatives', {
      idempotency_key: randomUUID(),
      account,
      creatives: [creative],
      assignments: [{ creative_id: 'cr_spring_1', package_id: network.package_id }],
    });
    expect(synced.creatives).toEqual([
      expect.objectContaining({
        creative_id: 'cr_spring_1',
        action: 'created',
        assigned_to: [network.package_id],
      }),
    ]);
    const listed = await call31(world.agent, 'list_creatives', { account });
    expect(listed.creatives).toEqual([
      expect.objectContaining({
        creative_id: 'cr_spring_1',
        name: creative.name,
        format_id: creative.format_id,
      }),
    ]);
    expect(listed.query_summary).toMatchObject({ total_matching: 1, returned: 1 });
    const carried = await packageByRef('network');
    expect(carried.creative_approvals.map((a: Json) => a.creative_id)).toEqual(['cr_spring_1']);
  });

  it('reads its delivery, the figures adding up', async () => {
    const buy = await readBuy(world, day.buyId);
    const report = await call31(world.agent, 'get_media_buy_delivery', {
      account,
      media_buy_ids: [day.buyId],
    });
    expect(report.currency).toBe('USD');
    expect(report.media_buy_deliveries).toHaveLength(1);
    const [delivery] = report.media_buy_deliveries;
    expect(delivery.media_buy_id).toBe(day.buyId);
    // With every part reported, the buy's status is the one get_media_buys answers. (The example
    // seller's own delivery answer lacks by_package pricing_model, which @adcp/sdk's client
    // refuses: its part is then an error below, and the status is the spreadsheet part's.)
    if (!report.errors?.length) expect(delivery.status).toBe(buy.status);
    const sum = (key: string) =>
      delivery.by_package.reduce((total: number, p: Json) => total + (p[key] ?? 0), 0);
    expect(delivery.totals.spend).toBeCloseTo(sum('spend'), 6);
    expect(delivery.totals.impressions).toBe(sum('impressions'));
    expect(report.aggregated_totals).toMatchObject({
      media_buy_count: 1,
      spend: delivery.totals.spend,
      impressions: delivery.totals.impressions,
    });
    // A part a source could not report is named, never a failed call.
    for (const error of report.errors ?? []) {
      expect(error).toMatchObject({ code: expect.any(String), details: { source_id: 'sdk' } });
    }
  });
});

const packageByRef = async (ref: string): Promise<Json> =>
  (await readBuy(world, day.buyId)).packages.find((p: Json) => p.context?.buyer_ref === ref);
