import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../harness.js';
import { eventually } from '../support/eventually.js';
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
import { agentClient } from './storefront-agent-support.js';

/*
 * The rest of adcp31-buyer-day.test.ts's day, on the same kind of storefront (a spreadsheet and
 * @adcp/sdk's example seller, buys approved by the seller): what a 3.1 buyer may change on its
 * buys and what it is refused, with the answer saying what is open; then a 3.0 buyer on that
 * storefront, whose answers are 3.0's.
 */

const world = buyerDay();
const brief = 'Homepage takeover and outdoor display for a spring launch';
const actionsOf = (entries: Array<{ action: string }>) => entries.map((e) => e.action).sort();
const only31 = ['allowed_actions', 'format_options'];
const without = (value: Json, keys: string[]) =>
  Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

async function products31() {
  const found = await call31(world.agent, 'get_products', { buying_mode: 'brief', brief, account });
  const hp1 = found.products.find((p: Json) => p.product_id === 'avails__hp-1');
  const acme = found.products.find((p: Json) => p.product_id.startsWith('sdk__'));
  return { hp1, acme };
}

const change = (id: string, update: Record<string, unknown>) =>
  call31(world.agent, 'update_media_buy', {
    idempotency_key: randomUUID(),
    account,
    media_buy_id: id,
    ...update,
  });

/*
 * The buys start `asap`. The storefront sends each source the instant it placed the buy
 * (orders' lifecycle.ts), which @adcp/sdk's example seller echoes on get_media_buys: its read of
 * the buy holds, so update_media_buy judges each change on the buy as it stands (issue 49: when
 * the storefront forwarded "asap" as sent, the seller's echo failed its read, a pause of a buy
 * not running was answered `completed` and paused nothing, and a budget raise was not read back).
 */
describe('a 3.1 buyer changing its buys', () => {
  it(
    'is refused what a buy does not have open, told what is, and nothing reaches the source',
    { timeout: 120_000 },
    async () => {
      const { hp1, acme } = await products31();
      const created = await call31(
        world.agent,
        'create_media_buy',
        buyOf([packageOf(hp1, 1000), packageOf(acme, 5000)]),
      );
      const id = await approved(world, created.task_id);
      const buy = await readBuy(world, id);
      // No creative on the network package yet: AdCP opens no pause before the buy runs.
      expect(buy.status).not.toBe('active');
      const open = buy.available_actions;
      expect(actionsOf(open)).not.toContain('pause');
      const orders = await sdkOrders(world.sdk);

      const pause = await change(id, { paused: true, context: { correlation_id: 'pause' } });
      expect(pause).toMatchObject({
        status: 'failed',
        adcp_error: {
          code: 'ACTION_NOT_ALLOWED',
          recovery: 'correctable',
          details: {
            attempted_action: 'pause',
            reason: 'wrong_status',
            currently_available_actions: open,
          },
        },
        context: { correlation_id: 'pause' },
      });
      expect(await sdkOrders(world.sdk)).toEqual(orders);
      // A spreadsheet's ledger changes a package's budget too (issue 70): a budget change is open
      // before the buy runs, at both sources.
      expect(actionsOf(open)).toEqual(
        expect.arrayContaining(['increase_budget', 'decrease_budget']),
      );
      expect((await readBuy(world, id)).total_budget).toBe(6000);
    },
  );

  it(
    'changes the budget of a buy at the example seller, puts its creative on, and pauses it',
    { timeout: 120_000 },
    async () => {
      const { acme } = await products31();
      const created = await call31(world.agent, 'create_media_buy', buyOf([packageOf(acme, 3000)]));
      const id = await approved(world, created.task_id);
      const [pkg] = (await readBuy(world, id)).packages;
      const raised = await change(id, { packages: [{ package_id: pkg.package_id, budget: 4500 }] });
      // The example seller answers `completed` but keeps the budget it was booked with (its
      // update_media_buy echoes the order's state, hello_seller_adapter_non_guaranteed.ts:
      // "SWAP: wire your backend's order-mutation endpoint here"): the buyer is told what the
      // seller holds, read back from it, never the storefront's echo of the change it asked.
      const held = (await sdkOrders(world.sdk)).find((o: Json) =>
        o.line_items.some((li: Json) => pkg.package_id.endsWith(li.line_item_id)),
      );
      expect(held.line_items[0].budget).toBe(3000);
      expect(raised).toMatchObject({
        status: 'completed',
        media_buy_id: id,
        revision: expect.any(Number),
        affected_packages: [
          expect.objectContaining({
            package_id: pkg.package_id,
            budget: held.line_items[0].budget,
          }),
        ],
      });
      expect(raised.ext?.interchange?.advisories).toBeUndefined();
      const after = await call31(world.agent, 'get_media_buys', { account, media_buy_ids: [id] });
      expect(after.errors).toBeUndefined();
      const [read] = after.media_buys;
      expect(read).toMatchObject({ total_budget: held.budget });
      expect(read.packages[0].budget).toBe(held.line_items[0].budget);

      const creative = creativeFor(`cr_${randomUUID().slice(0, 8)}`, acme);
      const synced = await call31(world.agent, 'sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative],
      });
      expect(synced.creatives[0]).toMatchObject({ creative_id: creative.creative_id });
      const assigned = await change(id, {
        packages: [
          {
            package_id: pkg.package_id,
            creative_assignments: [{ creative_id: creative.creative_id }],
          },
        ],
      });
      // The flight started at approval: the creative puts the buy live.
      expect(assigned).toMatchObject({ status: 'completed', media_buy_status: 'active' });
      expect(actionsOf(assigned.available_actions)).toContain('pause');
      const paused = await change(id, { paused: true });
      expect(paused).toMatchObject({ status: 'completed', media_buy_status: 'paused' });
      expect(actionsOf(paused.available_actions)).toContain('resume');
      expect(actionsOf(paused.available_actions)).not.toContain('pause');
      // The buyer reads the buy as the seller reports it, not the storefront's record of its
      // answers: the example seller's get_media_buys does not show the pause it answered (it
      // keeps pauses in a map its getMediaBuys never reads).
      expect((await readBuy(world, id)).status).toBe('active');
    },
  );
});

describe('a buy started asap', () => {
  it(
    'reaches every source with the instant it was placed, the start its buyer reads back',
    { timeout: 120_000 },
    async () => {
      const { hp1, acme } = await products31();
      const before = await sdkOrders(world.sdk);
      const created = await call31(
        world.agent,
        'create_media_buy',
        buyOf([packageOf(hp1, 1000), packageOf(acme, 2000)]),
      );
      const approving = Date.now();
      const id = await approved(world, created.task_id);
      const approvedBy = Date.now();
      // The example seller keeps the start it was sent: a date, not the buyer's "asap".
      const [order] = (await sdkOrders(world.sdk)).filter(
        (o: Json) => !before.some((b: Json) => b.order_id === o.order_id),
      );
      expect(order.flight_start).toMatch(/^\d{4}-\d\d-\d\dT/);
      const start = Date.parse(order.flight_start);
      // The buy started when the seller approved it (a little slack for the database's clock).
      expect(start).toBeGreaterThanOrEqual(approving - 5_000);
      expect(start).toBeLessThanOrEqual(approvedBy);

      // Both sources answer the buy's read, each holding that start; the buyer reads it.
      const read = await call31(world.agent, 'get_media_buys', { account, media_buy_ids: [id] });
      expect(read.errors).toBeUndefined();
      const [buy] = read.media_buys;
      expect(Date.parse(buy.start_time)).toBe(start);
      expect(buy.packages).toHaveLength(2);
      // The buyer's list of its buys says the same start.
      const listed = await world.h.call('GET', '/api/v2/buyer/media-buys', { key: world.buyerKey });
      const mine = listed.body.data.items.find((item: Json) => item.mediaBuyId === id);
      expect(Date.parse(mine.startTime)).toBe(start);
      // So do the seller's own orders list and the buy's timeline (not null, not "asap").
      const seller = { key: world.sf.seller.key };
      const orders = await world.h.call('GET', '/api/v2/storefront/media-buys', seller);
      const listedOrder = orders.body.data.items.find((item: Json) => item.mediaBuyId === id);
      expect(Date.parse(listedOrder.flightStart)).toBe(start);
      const timeline = await world.h.call(
        'GET',
        `/api/v2/storefront/media-buys/${id}/timeline`,
        seller,
      );
      expect(timeline.status, timeline.text).toBe(200);
      const highlights = timeline.body.data.legs.map((s: Json) => s.payloadHighlights);
      expect(highlights).toHaveLength(2);
      for (const shown of highlights) expect(Date.parse(shown.flightStart)).toBe(start);
    },
  );
});

describe('a 3.0 buyer on the same storefront', () => {
  it('gets 3.0 answers to discovery and a buy', { timeout: 120_000 }, async () => {
    const domain = `agency-${randomUUID().slice(0, 8)}.example`;
    const buyer = await createCustomer(world.h, { role: 'BUYER', domain });
    const agent = await agentClient(world.base, world.sf.platformId, buyer.key);
    const own = { brand: { domain: 'acmeoutdoor.example' }, operator: domain };
    try {
      const caps = await agent.call('get_adcp_capabilities', {});
      for (const key of ['wholesale_feed_versioning', 'adcp_version', 'status']) {
        expect(caps).not.toHaveProperty(key);
      }
      expect(caps.adcp).not.toHaveProperty('supported_versions');

      const asked = { buying_mode: 'brief', brief, account: own };
      const current = await call31(agent, 'get_products', asked);
      const old = await agent.call('get_products', asked);
      expect(old.isError).toBe(false);
      for (const key of ['adcp_version', 'cache_scope', 'wholesale_feed_version', 'status']) {
        expect(old).not.toHaveProperty(key);
      }
      expect(old.products).toEqual(current.products.map((p: Json) => without(p, only31)));

      const hp2 = old.products.find((p: Json) => p.product_id === 'avails__hp-2');
      const created = await agent.call('create_media_buy', {
        ...buyOf([
          {
            product_id: hp2.product_id,
            pricing_option_id: hp2.pricing_options[0].pricing_option_id,
            budget: 1500,
          },
        ]),
        account: own,
      });
      expect(created).toMatchObject({ isError: false, status: 'submitted' });
      for (const key of ['adcp_version', 'media_buy_status', 'available_actions']) {
        expect(created).not.toHaveProperty(key);
      }
      const [entry] = (await world.h.call('GET', approvals, { key: world.sf.seller.key })).body.data
        .items;
      await world.h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: world.sf.seller.key,
        body: { status: 'approved' },
      });
      const read = await eventually(
        () => agent.call('get_media_buys', { account: own, media_buy_ids: [entry.mediaBuyId] }),
        (answer) => answer.media_buys?.[0]?.packages?.length === 1,
      );
      const [buy] = read.media_buys;
      expect(buy).toMatchObject({ media_buy_id: entry.mediaBuyId, total_budget: 1500 });
      expect(buy.packages[0]).toMatchObject({ product_id: 'avails__hp-2', budget: 1500 });
      for (const key of ['available_actions', 'health', 'impairments', 'adcp_version']) {
        expect(buy).not.toHaveProperty(key);
      }
      expect(read).not.toHaveProperty('adcp_version');
    } finally {
      await agent.close();
    }
  });
});
