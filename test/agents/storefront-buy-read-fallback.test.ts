import { describe, expect, it } from 'vitest';
import { startSdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer } from '../harness.js';
import { agentClient, buyOf, storefrontWith } from './storefront-agent-support.js';
import {
  buyBoth,
  creative,
  creativeWorld,
  libraryAndInline,
  newCreativeId,
  sync,
} from './storefront-creatives-support.js';

/*
 * get_media_buys over a buy split across two sources, one of which fails its read: the buyer
 * still sees the whole buy it made (every package, as bought, and the buy's total), with the
 * part its source did not answer for taken from the storefront's own record (the package ids,
 * products, pricing and budgets it booked, the status that source last answered) and the
 * source's failure in the answer's `errors[]`. Before, that part vanished: the buy read back
 * with one package of two and half its budget. Through the official MCP client.
 */

const world = creativeWorld();

// The example seller resolves accounts by publisher domain, and no account it did not issue.
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

type Pkg = { package_id: string; product_id: string; budget: number };

describe('a buy whose source fails its read', () => {
  it('reads back whole, the failed part from the record, the failure in errors', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const id = newCreativeId();
    await sync(agent, [creative(id)]);
    const created = await buyBoth(agent, [id]);
    expect(created.isError, JSON.stringify(created)).toBe(false);
    const read = () => agent.call('get_media_buys', { media_buy_ids: [created.media_buy_id] });
    const whole = await read();
    expect(whole.errors).toBeUndefined();
    const [buy] = whole.media_buys;
    expect(buy.packages).toHaveLength(2);

    inline.answerInstead!('get_media_buys', {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The order desk is down for maintenance' },
    });
    const partial = await read();
    expect(partial.isError, JSON.stringify(partial)).toBe(false);
    expect(partial.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('maintenance') }),
    ]);
    const [again] = partial.media_buys;
    expect(again.total_budget).toBe(buy.total_budget);
    expect(again.status).toBe(buy.status);
    const shape = (p: Pkg) => ({
      package_id: p.package_id,
      product_id: p.product_id,
      budget: p.budget,
    });
    expect((again.packages as Pkg[]).map(shape)).toEqual((buy.packages as Pkg[]).map(shape));
  });
});

describe('a buy at @adcp/sdk’s example seller that cannot read it back', () => {
  it('reads back with its package as booked, asap and when the seller stops answering', async () => {
    const { h, base } = world;
    const seller = await startSdkSeller();
    const sf = await storefrontWith(h, [{ sourceId: 'sdk', url: seller.url, token: seller.token }]);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', { buying_mode: 'wholesale', account });
      const product = found.products[0];
      const bought = await agent.call('create_media_buy', buyOf(product, account, 15_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const packageId = bought.packages[0].package_id;
      const asBooked = expect.objectContaining({
        package_id: packageId,
        product_id: product.product_id,
        budget: 15_000,
      });

      // The buy started "asap": the seller keeps that word as its start and fails its own read of
      // the buy; the buyer still reads it whole, as booked.
      const live = await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
      expect(live.isError, JSON.stringify(live)).toBe(false);
      expect(live.errors?.length).toBeGreaterThan(0);
      expect(live.media_buys[0].total_budget).toBe(15_000);
      expect(live.media_buys[0].packages).toEqual([asBooked]);

      await seller.close();
      const read = await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
      expect(read.isError, JSON.stringify(read)).toBe(false);
      expect(read.errors?.length).toBeGreaterThan(0);
      const [buy] = read.media_buys;
      expect(buy.total_budget).toBe(15_000);
      expect(buy.packages).toEqual([asBooked]);
    } finally {
      await agent.close();
      await seller.close();
    }
  });
});
