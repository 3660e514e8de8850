import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDriftingSeller } from '../../fixtures/drifting-seller.js';
import { createHarness, type Harness } from '../../harness.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  eventually,
  type Json,
  mediaBuysOf,
  productsOfAgent,
  remoteAgent,
  selectionOf,
} from './buying-support.js';

/*
 * A buyer's campaign over a seller on @adcp/sdk outside production whose create_media_buy books
 * the buy and answers it out of schema (SDK: VALIDATION_ERROR, side response), and which keeps
 * no PO on its buys (3.1.19's get_media_buys has no po_number). The buy is never sent again
 * (the seller's key may no longer hold it), so recovery must find it by what it holds.
 */

let h: Harness;
let seller: Awaited<ReturnType<typeof startDriftingSeller>>;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_WRITE_RECOVERY_SECONDS: '1' });
  seller = await startDriftingSeller();
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

describe('a campaign buy its seller booked and answered out of schema', () => {
  it(
    'is found at the seller by its packages, never FAILED and never booked twice',
    { timeout: 90_000 },
    async () => {
      const { buyer, advertiserId } = await buyerWithAdvertiser(h);
      const agentId = await remoteAgent(h, buyer.key, {
        name: 'Drifting',
        endpointUrl: seller.url,
      });
      const found = await discover(h, buyer.key, {
        advertiserId: Number(advertiserId),
        brief: 'Display for a spring launch',
        salesAgentIds: [agentId],
      });
      expect(found.status, found.text).toBe(200);
      const [product] = productsOfAgent(found.body.data, agentId);
      const selected = await h.call(
        'POST',
        `/api/v2/buyer/discovery/${found.body.data.discoveryId}/products`,
        { key: buyer.key, body: { products: [selectionOf(product)] } },
      );
      expect(selected.status, selected.text).toBe(200);
      const campaignId = await campaignOver(
        h,
        buyer.key,
        advertiserId,
        found.body.data.discoveryId,
      );
      const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
        key: buyer.key,
        body: {},
      });
      expect(executed.status, executed.text).toBe(200);
      expect(seller.creates()).toBe(1);
      const [meanwhile] = await mediaBuysOf(h, buyer.key, advertiserId);
      expect(meanwhile.status).not.toBe('FAILED');

      // Recovery (its job, or the buyer executing again) finds the buy the seller holds.
      const placed = await eventually(
        async () => {
          await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
            key: buyer.key,
            body: {},
          });
          const [buy] = await mediaBuysOf(h, buyer.key, advertiserId);
          return buy as Json;
        },
        (buy) => Boolean(buy.sellerMediaBuyId),
        45_000,
        1000,
      );
      expect(placed.status).not.toBe('FAILED');
      expect(seller.creates()).toBe(1);
    },
  );
});
