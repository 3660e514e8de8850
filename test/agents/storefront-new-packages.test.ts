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

describe('update_media_buy with new_packages at a storefront', () => {
  it('is refused with its field before any source is asked, and the buy is unchanged', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const placed = await agent.call('create_media_buy', buyOf(products[0]));
      expect(placed.isError, JSON.stringify(placed)).toBe(false);
      // The buy offers what the storefront carries out: not add_packages (before: the seller's
      // offer of it was passed on).
      expect(placed.valid_actions).toContain('cancel');
      expect(placed.valid_actions).not.toContain('add_packages');
      const updatesBefore = seller.toolCalls().filter((c) => c.tool === 'update_media_buy');

      const added = await agent.call('update_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        media_buy_id: placed.media_buy_id,
        new_packages: [buyOf(products[1] ?? products[0]).packages[0]],
      });
      expect(added.isError, JSON.stringify(added)).toBe(true);
      const said = JSON.stringify(added);
      expect(said).toContain('UNSUPPORTED_FEATURE');
      expect(said).toContain('new_packages');
      // The seller never heard of it (before: the storefront's own product ids went to it).
      expect(seller.toolCalls().filter((c) => c.tool === 'update_media_buy')).toEqual(
        updatesBefore,
      );
      const read = await agent.call('get_media_buys', { media_buy_ids: [placed.media_buy_id] });
      expect(read.media_buys[0].packages).toHaveLength(placed.packages.length);
      expect(read.media_buys[0].valid_actions ?? []).not.toContain('add_packages');
    } finally {
      await agent.close();
    }
  }, 60_000);
});

describe('get_media_buys at a storefront', () => {
  it('answers what the storefront vouches for: not the storefront’s own account or billing at the source, and no 3.1 fields to a 3.0 caller', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const placed = await agent.call('create_media_buy', buyOf(products[0]));
      expect(placed.isError, JSON.stringify(placed)).toBe(false);
      await agent.call('get_media_buys', { media_buy_ids: [placed.media_buy_id] });
      const asked = seller.toolCalls().filter((c) => c.tool === 'get_media_buys');
      const upstreamId = (asked.at(-1)?.args['media_buy_ids'] as string[])[0];
      // The seller answers with what it keeps of the storefront as its customer.
      seller.answerInstead?.('get_media_buys', {
        data: {
          media_buys: [
            {
              media_buy_id: upstreamId,
              status: 'active',
              currency: 'USD',
              total_budget: 20_000,
              account: { account_id: 'interchange_at_the_seller' },
              invoice_recipient: { legal_name: 'Storefront Operator Ltd' },
              health: 'impaired',
              impairments: [{ code: 'seller_side', message: 'seller-side detail' }],
              packages: [],
            },
          ],
        },
      });
      const read = await agent.call('get_media_buys', { media_buy_ids: [placed.media_buy_id] });
      expect(read.media_buys, JSON.stringify(read)).toHaveLength(1);
      const buy = read.media_buys[0];
      expect(buy).toMatchObject({ media_buy_id: placed.media_buy_id, status: 'active' });
      for (const field of ['account', 'invoice_recipient', 'health', 'impairments']) {
        expect(buy, field).not.toHaveProperty(field);
      }
    } finally {
      await agent.close();
    }
  }, 60_000);
});
