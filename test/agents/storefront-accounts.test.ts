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
  await h?.close();
});

/** The account the source was asked with on each call of `tool` made after `from`. */
const accountsSent = (tool: string, from: number) =>
  seller
    .toolCalls()
    .slice(from)
    .filter((call) => call.tool === tool)
    .map((call) => call.args['account']);

describe('the account a storefront asks its sources with', () => {
  it('forwards the buyer’s own {brand, operator} reference as given, on discovery, buys and reads', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
    // The operator is the buyer itself: an agency buying for a brand.
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'agency.example' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const account = { brand: { domain: 'acme.example' }, operator: 'agency.example' };
    try {
      const from = seller.toolCalls().length;
      const { products } = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        account,
      });
      const bought = await agent.call('create_media_buy', buyOf(products[0], account));
      expect(bought.isError).toBe(false);
      await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id], account });
      expect(accountsSent('get_products', from)).toEqual([account]);
      expect(accountsSent('create_media_buy', from)).toEqual([account]);
      expect(accountsSent('get_media_buys', from)).toEqual([account]);
    } finally {
      await agent.close();
    }
  });

  it('turns the storefront’s own account id into {brand, operator}: the request’s brand, the buyer’s domain', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'agency-own.example' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const from = seller.toolCalls().length;
      const { products } = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        account: { account_id: 'acme_media' },
      });
      await agent.call('get_products', { buying_mode: 'brief', brief: 'video' });
      const bought = await agent.call('create_media_buy', buyOf(products[0]));
      expect(bought.isError).toBe(false);
      const derived = { brand: { domain: 'acme.example' }, operator: 'agency-own.example' };
      const own = { brand: { domain: 'agency-own.example' }, operator: 'agency-own.example' };
      expect(accountsSent('get_products', from)).toEqual([own, own]);
      expect(accountsSent('create_media_buy', from)).toEqual([derived]);
    } finally {
      await agent.close();
    }
  });

  it('does not name an account id the buyer registered where the source takes the storefront’s credential, and does where it takes the buyer’s', async () => {
    // Registering takes any id: behind the storefront's shared credential it would reach
    // whoever holds that id at the seller, so the buyer is asked under its own pair there.
    const shared = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
    const own = await storefrontWith(h, [
      { sourceId: 'src', url: seller.url, requiresCredentials: true },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'seat-holder.example' });
    for (const sf of [shared, own]) {
      const registered = await h.call(
        'POST',
        `/api/v2/buyer/storefronts/${sf.id}/sources/src/credentials`,
        { key: buyer.key, body: { accountIdentifier: 'seat-42' } },
      );
      expect(registered.status, registered.text).toBe(201);
    }
    // buyOf names the brand acme.example: the buy is the buyer operating for it.
    for (const [sf, discovered, booked] of [
      [
        shared,
        { brand: { domain: 'seat-holder.example' }, operator: 'seat-holder.example' },
        { brand: { domain: 'acme.example' }, operator: 'seat-holder.example' },
      ],
      [own, { account_id: 'seat-42' }, { account_id: 'seat-42' }],
    ] as const) {
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const from = seller.toolCalls().length;
        const { products } = await agent.call('get_products', {
          buying_mode: 'brief',
          brief: 'video',
        });
        const bought = await agent.call('create_media_buy', buyOf(products[0]));
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        // A follow-up asks under the account the buy was placed with.
        await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
        expect(accountsSent('get_products', from)).toEqual([discovered]);
        expect(accountsSent('create_media_buy', from)).toEqual([booked]);
        expect(accountsSent('get_media_buys', from)).toEqual([booked]);
      } finally {
        await agent.close();
      }
    }
  });
});
