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

  it('names the account the buyer registered at the source, by the source’s id for it', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const registered = await h.call(
      'POST',
      `/api/v2/buyer/storefronts/${sf.id}/sources/src/credentials`,
      { key: buyer.key, body: { accountIdentifier: 'seat-42' } },
    );
    expect(registered.status).toBe(201);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const from = seller.toolCalls().length;
      const account = { brand: { domain: 'acme.example' }, operator: 'agency.example' };
      const { products } = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        account,
      });
      const bought = await agent.call('create_media_buy', buyOf(products[0], account));
      expect(bought.isError).toBe(false);
      expect(accountsSent('get_products', from)).toEqual([{ account_id: 'seat-42' }]);
      expect(accountsSent('create_media_buy', from)).toEqual([{ account_id: 'seat-42' }]);
    } finally {
      await agent.close();
    }
  });

  it('lets one buyer only use an account id at a source that takes any: a second registering it is refused and never asked with it', async () => {
    // The demo source needs no buyer credential: registering takes any id, so only the
    // storefront can keep a second buyer out of the account the first one uses there.
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
    const seat = `seat-${Date.now().toString(36)}`;
    const [first, second] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    for (const buyer of [first, second]) {
      const registered = await h.call(
        'POST',
        `/api/v2/buyer/storefronts/${sf.id}/sources/src/credentials`,
        { key: buyer.key, body: { accountIdentifier: seat } },
      );
      expect(registered.status, registered.text).toBe(201);
    }
    const [asFirst, asSecond] = await Promise.all([
      agentClient(base, sf.platformId, first.key),
      agentClient(base, sf.platformId, second.key),
    ]);
    try {
      const from = seller.toolCalls().length;
      const discover = (agent: typeof asFirst) =>
        agent.call('get_products', { buying_mode: 'brief', brief: 'video' });
      expect((await discover(asFirst)).products.length).toBeGreaterThan(0);
      const refused = await discover(asSecond);
      expect(refused.products).toEqual([]);
      expect(refused.errors).toEqual([
        expect.objectContaining({
          code: 'ACCOUNT_NOT_FOUND',
          details: expect.objectContaining({ reason: 'account_not_found', source_id: 'src' }),
        }),
      ]);
      const bought = await asFirst.call(
        'create_media_buy',
        buyOf((await discover(asFirst)).products[0]),
      );
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // The source heard the seat only from the first buyer.
      expect(accountsSent('get_products', from)).toEqual([
        { account_id: seat },
        { account_id: seat },
      ]);
      expect(accountsSent('create_media_buy', from)).toEqual([{ account_id: seat }]);
    } finally {
      await Promise.all([asFirst.close(), asSecond.close()]);
    }
  });
});
