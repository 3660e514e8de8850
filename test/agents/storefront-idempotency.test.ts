import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let upstream: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  upstream = await startSeller('mcp');
});
afterAll(async () => {
  await upstream?.close();
  await h.close();
});

const buysOf = async (storefrontId: number) =>
  (
    await h.database.queryable.query(
      'select media_buy_id from storefront_media_buys where storefront_id = $1',
      [storefrontId],
    )
  ).rows.map((r) => r['media_buy_id'] as string);

describe('idempotency keys on storefront agents', () => {
  it('keeps one buyer’s key apart per storefront, and replays it on the same one', async () => {
    // Two storefronts over the same source: the product ids, and so the payloads, are equal.
    const first = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const second = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const [onFirst, onSecond] = await Promise.all([
      agentClient(base, first.platformId, buyer.key),
      agentClient(base, second.platformId, buyer.key),
    ]);
    try {
      const { products } = await onFirst.call('get_products', { buying_mode: 'wholesale' });
      const request = buyOf(products[0]);
      const one = await onFirst.call('create_media_buy', request);
      const two = await onSecond.call('create_media_buy', request);
      expect(one.isError, JSON.stringify(one)).toBe(false);
      expect(two.isError, JSON.stringify(two)).toBe(false);
      expect(two.replayed).not.toBe(true);
      // The buyer's key is echoed on the buy it made (the 3.0.6 idempotency storyboard reads it
      // back from the first create's answer), and again on its replay.
      expect(one.idempotency_key).toBe(request.idempotency_key);
      expect(two.media_buy_id).not.toBe(one.media_buy_id);
      expect(await buysOf(first.id)).toEqual([one.media_buy_id]);
      expect(await buysOf(second.id)).toEqual([two.media_buy_id]);
      // Each storefront reads its own buy, and only that one.
      const read = await onSecond.call('get_media_buys', {
        media_buy_ids: [one.media_buy_id, two.media_buy_id],
      });
      expect(read.media_buys.map((m: { media_buy_id: string }) => m.media_buy_id)).toEqual([
        two.media_buy_id,
      ]);

      const replay = await onFirst.call('create_media_buy', request);
      expect(replay).toMatchObject({
        replayed: true,
        media_buy_id: one.media_buy_id,
        idempotency_key: request.idempotency_key,
      });
      expect(await buysOf(first.id)).toEqual([one.media_buy_id]);
    } finally {
      await Promise.all([onFirst.close(), onSecond.close()]);
    }
  });
});
