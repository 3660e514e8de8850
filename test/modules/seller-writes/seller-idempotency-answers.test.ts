import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { sellerBuys } from '../../support/seller-records.js';
import { buyerWithAdvertiser, executedCampaign, type Json } from '../buying/buying-support.js';

let h: Harness;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_WRITE_RECOVERY_SECONDS: '0.5' });
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

/*
 * A seller that answers a buy we never completed with an idempotency error cannot be taken at
 * its word that nothing was booked (the key was used before: a buy may exist). The storefront
 * looks the buy up, then sends it again under the same key; the campaign's buy says it is being
 * established meanwhile, never FAILED, and ends placed once.
 */
describe('a seller answering an idempotency error to a buy never completed', () => {
  it.each([
    ['IDEMPOTENCY_EXPIRED', "idempotency_key is past the seller's replay window (86400s)"],
    ['IDEMPOTENCY_CONFLICT', 'idempotency_key was used earlier with a different payload'],
  ])(
    '%s: looked up, sent again under its key, never FAILED, placed once',
    async (code, message) => {
      const sf = await storefrontWith(h, [{ sourceId: 'seller', url: seller.url }]);
      // A brand of its own: the seller keeps one account per brand.
      const { buyer, advertiserId } = await buyerWithAdvertiser(
        h,
        `${code.toLowerCase().replace('_', '-')}.example`,
      );
      const creates = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy');
      const before = creates().length;
      seller.answerInstead!('create_media_buy', { error: { code, message } }, 1);
      const { campaignId, executed } = await executedCampaign(h, buyer.key, advertiserId, [sf]);
      expect(executed).toMatchObject({ errors: [], mediaBuysExecuted: 0 });
      const buysOf = async () =>
        (await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}`, { key: buyer.key })).body.data
          .campaign.mediaBuys as Json[];
      const [pending] = await buysOf();
      expect(pending).toMatchObject({ status: 'PENDING_APPROVAL', pendingAt: 'unknown' });

      const [placed] = await eventually(
        async () => {
          await h.services.sellerWrites.recoverDue();
          return buysOf();
        },
        (buys) => buys[0]?.status !== 'PENDING_APPROVAL',
        30_000,
      );
      expect(placed).toMatchObject({ status: 'ACTIVE' });
      expect(placed.outcomePending).toBeUndefined();
      const sent = creates().slice(before);
      // Refused once, then sent again under the same key, and booked once.
      expect(sent).toHaveLength(2);
      expect(sent[1]!.args['idempotency_key']).toBe(sent[0]!.args['idempotency_key']);
      const held = await sellerBuys(seller.url, sent[1]!.args['account'] as Json);
      expect(held).toHaveLength(1);
    },
  );
});
