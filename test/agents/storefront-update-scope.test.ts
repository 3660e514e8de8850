import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  account,
  buyBoth,
  callsOf,
  creative,
  creativeWorld,
  libraryAndInline,
  newCreativeId,
  sync,
} from './storefront-creatives-support.js';

/*
 * An update_media_buy that names only some of a buy's packages is a change at their sources
 * only: a source whose packages the update does not name, and whose buy it does not change as a
 * whole (paused, dates, budget), is not asked at all (before, it was sent an empty
 * update_media_buy, which a seller may refuse or log as a change the buyer never made). A change
 * to the whole buy still reaches every source. Through the official MCP client.
 */

const world = creativeWorld();

describe('update_media_buy reaches only the sources it changes', () => {
  it('asks the source of a named package alone, and every source for a buy-level change', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const id = newCreativeId();
    await sync(agent, [creative(id)]);
    const created = await buyBoth(agent, [id]);
    expect(created.isError, JSON.stringify(created)).toBe(false);
    const [libPkg] = (created.packages as Array<{ package_id: string }>).map((p) => p.package_id);
    const update = (fields: Record<string, unknown>) =>
      agent.call('update_media_buy', {
        account,
        media_buy_id: created.media_buy_id,
        idempotency_key: randomUUID(),
        ...fields,
      });

    const before = [library, inline].map((s) => s.toolCalls().length);
    const budget = await update({ packages: [{ package_id: libPkg, budget: 25_000 }] });
    expect(budget.isError, JSON.stringify(budget)).toBe(false);
    const toLibrary = callsOf(library, 'update_media_buy', before[0]);
    expect(toLibrary).toHaveLength(1);
    expect(toLibrary[0]?.args['packages']).toEqual([expect.objectContaining({ budget: 25_000 })]);
    expect(callsOf(inline, 'update_media_buy', before[1])).toEqual([]);

    // Pausing the buy is a change at every source.
    const paused = await update({ paused: true });
    expect(paused.isError, JSON.stringify(paused)).toBe(false);
    for (const [i, seller] of [library, inline].entries()) {
      const calls = callsOf(seller, 'update_media_buy', before[i]);
      expect(calls.at(-1)?.args).toMatchObject({ paused: true });
      expect(calls.at(-1)?.args['packages']).toBeUndefined();
    }
    expect(callsOf(library, 'update_media_buy', before[0])).toHaveLength(2);
    expect(callsOf(inline, 'update_media_buy', before[1])).toHaveLength(1);
  });
});
