import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';
import { account, callsOf } from './storefront-creatives-support.js';
import { csvRows, pathOf } from '../modules/order-views/orders-support.js';

/*
 * update_media_buy on the money path: what a buyer is told it holds after a change is what the
 * seller holds, read back from it after it answered `completed` (a seller may answer
 * `completed` and keep the old budget: @adcp/sdk's example seller does,
 * adcp31-buyer-day-changes.test.ts); where that read fails, the package as the storefront last
 * knew it, with an advisory saying the change is unconfirmed, never the budget asked echoed
 * back. A budget the seller confirmed is the storefront's record from then on (a later read that
 * fails shows it, and judges a later change against it). A buy-level `asap` start is sent to the
 * seller as one instant, the same on a retry under the same key. Through the official MCP
 * client, over the built-in demo seller, which applies budget changes.
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
const readFails = {
  error: { code: 'SERVICE_UNAVAILABLE', message: 'The order desk is down for maintenance' },
};

/** A storefront over the demo seller, a buyer's 3.1 agent on it, and a buy of 5,000 there. */
async function boughtAt5000() {
  const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const { products } = await agent.call('get_products', { ...v31, buying_mode: 'wholesale' });
  const bought = await agent.call('create_media_buy', {
    ...v31,
    ...buyOf(products[0], account, 5_000),
  });
  expect(bought.isError, JSON.stringify(bought)).toBe(false);
  const packageId: string = bought.packages[0].package_id;
  const update = (fields: Record<string, unknown>, key: string = randomUUID()) =>
    agent.call('update_media_buy', {
      ...v31,
      idempotency_key: key,
      account,
      media_buy_id: bought.media_buy_id,
      ...fields,
    });
  const read = () => agent.call('get_media_buys', { ...v31, media_buy_ids: [bought.media_buy_id] });
  const keys = { seller: sf.seller.key, buyer: buyer.key };
  return { agent, packageId, update, read, keys, id: bought.media_buy_id as string };
}

describe('a budget change the seller answers completed', () => {
  it('is answered as the seller holds it, read back', async () => {
    const { agent, packageId, update } = await boughtAt5000();
    try {
      const raised = await update({ packages: [{ package_id: packageId, budget: 6_000 }] });
      expect(raised.isError, JSON.stringify(raised)).toBe(false);
      expect(raised.affected_packages).toEqual([
        expect.objectContaining({ package_id: packageId, budget: 6_000 }),
      ]);
      expect(raised.ext?.interchange?.advisories).toBeUndefined();
    } finally {
      await agent.close();
    }
  });

  it('whose read-back fails is answered as last confirmed, with an advisory, not as asked', async () => {
    const { agent, packageId, update } = await boughtAt5000();
    seller.answerInstead!('get_media_buys', readFails);
    try {
      const raised = await update({ packages: [{ package_id: packageId, budget: 6_000 }] });
      expect(raised.isError, JSON.stringify(raised)).toBe(false);
      expect(raised.affected_packages).toEqual([
        expect.objectContaining({ package_id: packageId, budget: 5_000 }),
      ]);
      expect(raised.ext.interchange.advisories).toEqual([
        expect.objectContaining({
          code: 'UPDATE_UNCONFIRMED',
          field: 'packages[0]',
          message: expect.stringContaining('maintenance'),
          details: expect.objectContaining({ source_id: 'demo', package_ids: [packageId] }),
        }),
      ]);
    } finally {
      seller.answerInstead!('get_media_buys', readFails, 0);
      await agent.close();
    }
  });

  it('is recorded once confirmed: a later failed read shows it, not the budget booked', async () => {
    const { agent, packageId, update, read } = await boughtAt5000();
    try {
      const raised = await update({ packages: [{ package_id: packageId, budget: 7_500 }] });
      expect(raised.isError, JSON.stringify(raised)).toBe(false);
      seller.answerInstead!('get_media_buys', readFails);
      const recorded = await read();
      expect(recorded.errors?.length).toBeGreaterThan(0);
      expect(recorded.media_buys[0].total_budget).toBe(7_500);
      expect(recorded.media_buys[0].packages).toEqual([
        expect.objectContaining({ package_id: packageId, budget: 7_500 }),
      ]);
      // A later cut is judged against 7,500 and, unconfirmed, answered as that record.
      const cut = await update({ packages: [{ package_id: packageId, budget: 6_000 }] });
      expect(cut.isError, JSON.stringify(cut)).toBe(false);
      expect(cut.affected_packages[0].budget).toBe(7_500);
    } finally {
      seller.answerInstead!('get_media_buys', readFails, 0);
      await agent.close();
    }
  });
});

describe('an update starting the buy asap', () => {
  it('reaches the seller as one instant, the same on a retry under its key', async () => {
    const { agent, update } = await boughtAt5000();
    try {
      const before = seller.toolCalls().length;
      const key = randomUUID();
      const asked = Date.now();
      seller.answerInstead!('update_media_buy', readFails, 1);
      const first = await update({ start_time: 'asap' }, key);
      expect(first.isError, JSON.stringify(first)).toBe(true);
      const retried = await update({ start_time: 'asap' }, key);
      expect(retried.isError, JSON.stringify(retried)).toBe(false);
      const sent = callsOf(seller, 'update_media_buy', before).map((c) => c.args['start_time']);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      const [instant] = sent as string[];
      expect(instant).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(Date.parse(instant!)).toBeGreaterThanOrEqual(asked - 5_000);
      expect(Date.parse(instant!)).toBeLessThanOrEqual(Date.now());
      expect(new Set(sent)).toEqual(new Set([instant]));
    } finally {
      await agent.close();
    }
  });
});

describe('a budget the seller confirmed after an update', () => {
  it('is what the seller views and the buyer list show, with the booked one beside it', async () => {
    const { agent, packageId, update, keys, id } = await boughtAt5000();
    try {
      const raised = await update({ packages: [{ package_id: packageId, budget: 7_500 }] });
      expect(raised.affected_packages[0].budget).toBe(7_500);
      const seller = { key: keys.seller };
      const orders = await h.call('GET', '/api/v2/storefront/media-buys', seller);
      const order = orders.body.data.items.find((o: { mediaBuyId: string }) => o.mediaBuyId === id);
      expect(order).toMatchObject({ budget: 7_500, bookedBudget: 5_000 });
      const exported = await h.call('GET', '/api/v2/storefront/media-buys/export', seller);
      const csv = await h.call('GET', pathOf(exported.body.data.downloadUrl));
      const row = csvRows(csv.text).find((r) => r['mediaBuyId'] === id);
      expect(row).toMatchObject({ budget: '7500', bookedBudget: '5000' });
      const timeline = await h.call('GET', `/api/v2/storefront/media-buys/${id}/timeline`, seller);
      expect(timeline.status, timeline.text).toBe(200);
      expect(timeline.body.data.legs[0].payloadHighlights).toMatchObject({
        budget: 7_500,
        bookedBudget: 5_000,
      });
      const mine = await h.call('GET', '/api/v2/buyer/media-buys', { key: keys.buyer });
      const listed = mine.body.data.items.find((b: { mediaBuyId: string }) => b.mediaBuyId === id);
      expect(listed).toMatchObject({ budget: 7_500 });
    } finally {
      await agent.close();
    }
  });
});
