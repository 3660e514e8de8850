import { describe, expect, it } from 'vitest';
import { startDriftingSeller } from '../fixtures/drifting-seller.js';
import { createCustomer } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, buyOf, storefrontWith } from './storefront-agent-support.js';
import { creativeWorld } from './storefront-creatives-support.js';

/*
 * A seller on @adcp/sdk outside production books a buy and then answers it out of its own
 * schema: the SDK tells the caller VALIDATION_ERROR ("create_media_buy response failed schema
 * validation"), though the buy exists. The storefront must not tell the buyer its buy failed
 * (the seller would deliver and bill a buy nobody tracks), and must not send it again (the SDK
 * keeps such an answer under the key for seconds only: a resend books a second buy).
 */

const world = creativeWorld();
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

describe('a source that books a buy and answers out of its schema', () => {
  it(
    'is not reported as refusing it, and the buy is not booked twice',
    { timeout: 90_000 },
    async () => {
      const { h, base } = world;
      const seller = await startDriftingSeller();
      const sf = await storefrontWith(h, [{ sourceId: 'drift', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const found = await agent.call('get_products', { buying_mode: 'wholesale', account });
        const product = found.products[0];
        const request = buyOf(product, account, 15_000);
        const first = await agent.call('create_media_buy', request);
        // Not the buyer's request at fault, and not a refusal: the outcome is being established.
        expect(first.adcp_error).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          recovery: 'transient',
        });
        expect(first.adcp_error.field).toBeUndefined();
        expect(seller.creates()).toBe(1);

        // The buyer retries as told, under the same key: the storefront finds the buy the seller
        // made (its only buy with these packages), and never asks the seller to book it again.
        const again = await eventually(
          () => agent.call('create_media_buy', request),
          (answer) => answer.isError === false,
          45_000,
          1000,
        );
        expect(again.packages).toEqual([
          expect.objectContaining({ product_id: product.product_id, budget: 15_000 }),
        ]);
        const read = await agent.call('get_media_buys', { media_buy_ids: [again.media_buy_id] });
        expect(read.errors).toBeUndefined();
        expect(read.media_buys[0]).toMatchObject({ total_budget: 15_000 });
        expect(seller.creates()).toBe(1);
      } finally {
        await agent.close();
        await seller.close();
      }
    },
  );

  it.each([
    ['echoes the PO on its buys', true],
    ['keeps no PO (3.1.19 get_media_buys has none)', false],
  ])(
    'finds the buy it lost under a PO the buyer gave two buys, at a seller that %s',
    { timeout: 90_000 },
    async (_, echoPo) => {
      const { h, base } = world;
      const seller = await startDriftingSeller({ echoPo });
      const sf = await storefrontWith(h, [{ sourceId: 'drift', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const found = await agent.call('get_products', { buying_mode: 'wholesale', account });
        const product = found.products[0];
        // One PO for the buyer's campaign, two buys under it: the first is answered in schema.
        seller.drifting(false);
        const po_number = 'PO-2026-0417';
        const first = await agent.call('create_media_buy', {
          ...buyOf(product, account, 10_000),
          po_number,
        });
        expect(first.isError).toBe(false);
        seller.drifting(true);
        const request = { ...buyOf(product, account, 15_000), po_number };
        const lost = await agent.call('create_media_buy', request);
        expect(lost.adcp_error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

        const again = await eventually(
          () => agent.call('create_media_buy', request),
          (answer) => answer.isError === false,
          45_000,
          1000,
        );
        expect(again.media_buy_id).not.toBe(first.media_buy_id);
        expect(again.packages).toEqual([expect.objectContaining({ budget: 15_000 })]);
        const read = await agent.call('get_media_buys', {
          media_buy_ids: [first.media_buy_id, again.media_buy_id],
        });
        const budgets = Object.fromEntries(
          read.media_buys.map((b: { media_buy_id: string; total_budget: number }) => [
            b.media_buy_id,
            b.total_budget,
          ]),
        );
        expect(budgets).toEqual({ [first.media_buy_id]: 10_000, [again.media_buy_id]: 15_000 });
        expect(seller.creates()).toBe(2);
      } finally {
        await agent.close();
        await seller.close();
      }
    },
  );
});
