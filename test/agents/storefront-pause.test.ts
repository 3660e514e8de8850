import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

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
  await h.close();
});

describe('a paused storefront (hosted isPaused)', () => {
  it('shows no products and takes no new or changed buys, while existing buys stay readable', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(products.length).toBeGreaterThan(0);
      const before = await agent.call('create_media_buy', buyOf(products[0]));
      expect(before.isError, JSON.stringify(before)).toBe(false);

      const paused = await h.call('PUT', '/api/v2/storefront', {
        key: sf.seller.key,
        body: { isPaused: true },
      });
      expect(paused.body.data).toMatchObject({ isPaused: true, displayStatus: 'paused' });

      const hidden = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(hidden.products).toEqual([]);
      expect(hidden.errors[0]).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(hidden.errors[0].message).toContain('paused');

      const refused = await agent.call('create_media_buy', buyOf(products[0]));
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(refused)).toContain('paused by its operator');
      const changed = await agent.call('update_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        media_buy_id: before.media_buy_id,
        paused: true,
      });
      expect(changed.isError).toBe(true);
      expect(JSON.stringify(changed)).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(changed)).toContain('paused by its operator');

      const read = await agent.call('get_media_buys', { media_buy_ids: [before.media_buy_id] });
      expect(read.media_buys).toHaveLength(1);

      // Buyers see the hold on REST too.
      const shown = await h.call('GET', `/api/v2/buyer/storefronts/${sf.id}`, { key: buyer.key });
      expect(shown.body.data).toMatchObject({
        displayStatus: 'paused',
        readiness: { canTransact: false, effectiveStatus: 'paused' },
      });

      await h.call('PUT', '/api/v2/storefront', {
        key: sf.seller.key,
        body: { isPaused: false },
      });
      const back = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(back.products.length).toBeGreaterThan(0);
      const shownAgain = await h.call('GET', `/api/v2/buyer/storefronts/${sf.id}`, {
        key: buyer.key,
      });
      expect(shownAgain.body.data).toMatchObject({
        displayStatus: 'transacting',
        readiness: { canTransact: true, effectiveStatus: 'live', blockerIds: [] },
        // The two answered discoveries (a paused one shows nothing and is not a run).
        discoveryPerformance: {
          sampleCount: 2,
          successCount: 2,
          timeoutCount: 0,
          avgResponseTimeMs: expect.any(Number),
          maxResponseTimeMs: expect.any(Number),
          lastResponseTimeMs: expect.any(Number),
          lastDiscoveryAt: expect.any(String),
        },
      });
    } finally {
      await agent.close();
    }
  });
});
