import { describe, expect, it } from 'vitest';
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
