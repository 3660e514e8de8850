import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createHarness, type Harness } from '../harness.js';
import { listen } from './storefront-agent-support.js';
import {
  account,
  approvals,
  archive,
  buyBoth,
  callsOf,
  carriedBy,
  creative,
  libraryAndInline as libraryAndInlineOver,
  newCreativeId,
  sync,
} from './storefront-creatives-support.js';

let h: Harness;
let base: string;
let library: RunningSeller;
let inline: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [library, inline] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
});
afterAll(async () => {
  await Promise.all([library?.close(), inline?.close()]);
  await h.close();
});

const libraryAndInline = (settings: Record<string, unknown> = {}) =>
  libraryAndInlineOver(h, base, { library, inline }, settings);
const sorted = (lists: string[][]) => lists.map((l) => [...l].sort()).sort();

describe('a creative the buyer archived, at a storefront', () => {
  it('is refused in create_media_buy and update_media_buy assignments, naming the field, and nothing is sent', async () => {
    const { agent } = await libraryAndInline();
    const [kept, recalled] = [newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      expect((await archive(agent, recalled)).creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);
      const before = [library, inline].map((s) => s.toolCalls().length);

      const refused = await buyBoth(agent, [kept, recalled]);
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(refused.adcp_error).toMatchObject({
        code: 'INVALID_STATE',
        field: 'packages[0].creative_assignments[1].creative_id',
      });
      expect(refused.adcp_error.message).toContain(recalled);

      const created = await buyBoth(agent, [kept]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const updated = await agent.call('update_media_buy', {
        media_buy_id: created.media_buy_id,
        account,
        idempotency_key: randomUUID(),
        packages: [
          {
            package_id: created.packages[1].package_id,
            creative_assignments: [{ creative_id: recalled }],
          },
        ],
      });
      expect(updated.isError, JSON.stringify(updated)).toBe(true);
      expect(updated.adcp_error).toMatchObject({
        code: 'INVALID_STATE',
        field: 'packages[0].creative_assignments[0].creative_id',
      });
      // Only the buy without it reached the sources, and no update did.
      for (const [i, seller] of [library, inline].entries()) {
        expect(callsOf(seller, 'create_media_buy', before[i])).toHaveLength(1);
        expect(callsOf(seller, 'update_media_buy', before[i])).toEqual([]);
      }
      expect(await carriedBy(agent, created.media_buy_id)).toEqual([[kept], [kept]]);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('is left out of a buy that waited for the operator’s approval, by assignment and inline', async () => {
    const { sf, agent } = await libraryAndInline({ mediaBuyApproval: 'manual' });
    const [kept, recalled] = [newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      const submitted = await buyBoth(agent, [kept, recalled]);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      // Archived while the buy waits: nothing of it was sent, so there is nothing to take off.
      expect((await archive(agent, recalled)).creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);
      const before = [library, inline].map((s) => s.toolCalls().length);
      const queue = await h.call('GET', approvals, { key: sf.seller.key });
      const entry = queue.body.data.items[0];
      const decided = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
        key: sf.seller.key,
        body: { status: 'approved' },
      });
      expect(decided.body.data, decided.text).toMatchObject({ forwardOutcome: 'all_completed' });

      const [toLibrary] = callsOf(library, 'create_media_buy', before[0]);
      const [toInline] = callsOf(inline, 'create_media_buy', before[1]);
      expect(toLibrary?.args['packages']).toEqual([
        expect.objectContaining({ creative_assignments: [{ creative_id: kept }] }),
      ]);
      expect(toInline?.args['packages']).toEqual([
        expect.objectContaining({ creatives: [creative(kept)] }),
      ]);
      expect(await carriedBy(agent, entry.mediaBuyId)).toEqual([[kept], [kept]]);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('is not taken off a buy the buyer canceled: its sources are not asked', async () => {
    const { agent } = await libraryAndInline();
    const [kept, recalled] = [newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      const created = await buyBoth(agent, [kept, recalled]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const canceled = await agent.call('update_media_buy', {
        media_buy_id: created.media_buy_id,
        account,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled).toMatchObject({ isError: false, status: 'canceled' });
      const before = [library, inline].map((s) => s.toolCalls().length);

      expect((await archive(agent, recalled)).creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);
      for (const [i, seller] of [library, inline].entries()) {
        expect(callsOf(seller, 'update_media_buy', before[i])).toEqual([]);
      }
      // The library source is still told the creative is archived.
      expect(callsOf(library, 'sync_creatives', before[0])).toHaveLength(1);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('is not archived at a library source that answers it with another status, and is on the next archive', async () => {
    const { agent } = await libraryAndInline();
    const [kept, recalled] = [newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      const created = await buyBoth(agent, [kept, recalled]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      library.answerInstead!(
        'sync_creatives',
        { data: { creatives: [{ creative_id: recalled, action: 'updated', status: 'approved' }] } },
        1,
      );
      const first = await archive(agent, recalled);
      expect(first.creatives).toEqual([
        expect.objectContaining({ creative_id: recalled, action: 'failed' }),
      ]);
      expect(JSON.stringify(first.creatives[0].errors)).toContain('approved, not archived');
      // What serves went first: both packages are already cleared.
      expect(await carriedBy(agent, created.media_buy_id)).toEqual([[kept], [kept]]);

      const again = await archive(agent, recalled);
      expect(again.creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('is taken off a package whose source refused an earlier update (its new list was not recorded)', async () => {
    const { agent } = await libraryAndInline();
    const [kept, recalled] = [newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      const created = await buyBoth(agent, [kept, recalled]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      // The buyer drops `recalled` from both packages; the inline source refuses its part.
      inline.answerInstead!(
        'update_media_buy',
        { error: { code: 'INVALID_STATE', message: 'Buy locked for trafficking' } },
        1,
      );
      const dropped = await agent.call('update_media_buy', {
        media_buy_id: created.media_buy_id,
        account,
        idempotency_key: randomUUID(),
        packages: (created.packages as Array<{ package_id: string }>).map((p) => ({
          package_id: p.package_id,
          creative_assignments: [{ creative_id: kept }],
        })),
      });
      expect(dropped.isError, JSON.stringify(dropped)).toBe(false);
      expect(sorted(await carriedBy(agent, created.media_buy_id))).toEqual(
        sorted([[kept], [kept, recalled]]),
      );

      // Archiving it now must still find it on the refusing source's package.
      expect((await archive(agent, recalled)).creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);
      expect(await carriedBy(agent, created.media_buy_id)).toEqual([[kept], [kept]]);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
