import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';
import {
  account,
  buyBoth,
  carriedBy,
  creative,
  libraryAndInline as libraryAndInlineOver,
  reviews,
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

/** The shared storefront over this file's library and inline sellers. */
const libraryAndInline = () => libraryAndInlineOver(h, base, { library, inline });

describe('creatives through a storefront agent', () => {
  it('queues creatives for review in manual mode and reports the decision on the next sync', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'lib', url: library.url }], {
      creativeApproval: 'manual',
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const id = `cr_${randomUUID().slice(0, 8)}`;
    const sync = () =>
      agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        creatives: [creative(id)],
      });
    try {
      const first = await sync();
      expect(first.isError, JSON.stringify(first)).toBe(false);
      expect(first.creatives).toEqual([
        expect.objectContaining({ creative_id: id, action: 'created', status: 'pending_review' }),
      ]);
      expect(
        library
          .toolCalls()
          .some((c) => c.tool === 'sync_creatives' && JSON.stringify(c.args).includes(id)),
      ).toBe(false);

      const queue = await h.call('GET', reviews, { key: sf.seller.key });
      expect(queue.body.data.items.map((r: { creativeId: string }) => r.creativeId)).toEqual([id]);
      const reviewId = queue.body.data.items[0].reviewId as string;
      expect(reviewId).toMatch(/^crv_/);
      const decided = await h.call('POST', `${reviews}/${reviewId}/decide`, {
        key: sf.seller.key,
        body: { status: 'approved', reviewer_notes: 'Fine' },
      });
      expect(decided.status).toBe(200);
      expect(decided.body.data).toMatchObject({
        status: 'approved',
        reviewerNotes: 'Fine',
        forwardResult: [{ sourceId: 'lib', status: 'completed' }],
      });
      // Approval forwarded it to the source's library, verbatim.
      const forwarded = library
        .toolCalls()
        .find((c) => c.tool === 'sync_creatives' && JSON.stringify(c.args).includes(id));
      expect((forwarded?.args['creatives'] as unknown[])[0]).toEqual(creative(id));

      const again = await h.call('POST', `${reviews}/${reviewId}/decide`, {
        key: sf.seller.key,
        body: { status: 'rejected' },
      });
      expect(again.status).toBe(409);
      const second = await sync();
      expect(second.creatives).toEqual([
        expect.objectContaining({ creative_id: id, action: 'updated', status: 'approved' }),
      ]);
    } finally {
      await agent.close();
    }
  });

  it('keeps two buyers’ creatives with the same id apart, each reviewed and decided on its own', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'lib', url: library.url }], {
      creativeApproval: 'manual',
    });
    const [first, second] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const [asFirst, asSecond] = await Promise.all([
      agentClient(base, sf.platformId, first.key),
      agentClient(base, sf.platformId, second.key),
    ]);
    const id = `cr_same_${randomUUID().slice(0, 8)}`;
    const versionOf = (buyer: string) => ({ ...creative(id), name: `Creative of ${buyer}` });
    try {
      for (const [agent, buyer] of [
        [asFirst, 'first'],
        [asSecond, 'second'],
      ] as const) {
        const synced = await agent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account: { account_id: 'acme_media' },
          creatives: [versionOf(buyer)],
        });
        expect(synced.creatives, JSON.stringify(synced)).toEqual([
          expect.objectContaining({ creative_id: id, action: 'created', status: 'pending_review' }),
        ]);
      }

      const queue = await h.call('GET', reviews, { key: sf.seller.key });
      const items = queue.body.data.items as Array<{
        reviewId: string;
        creativeId: string;
        buyerCustomerId: number;
        submittedPayload: { name: string };
      }>;
      expect(items).toHaveLength(2);
      const reviewOf = (buyerId: number) => items.find((r) => r.buyerCustomerId === buyerId)!;
      expect(reviewOf(first.id)).toMatchObject({
        creativeId: id,
        submittedPayload: { name: 'Creative of first' },
      });
      expect(reviewOf(second.id)).toMatchObject({
        creativeId: id,
        submittedPayload: { name: 'Creative of second' },
      });
      expect(reviewOf(first.id).reviewId).not.toBe(reviewOf(second.id).reviewId);

      const read = await h.call('GET', `${reviews}/${reviewOf(first.id).reviewId}`, {
        key: sf.seller.key,
      });
      expect(read.body.data).toMatchObject({ buyerCustomerId: first.id, status: 'pending' });
      const approved = await h.call('POST', `${reviews}/${reviewOf(first.id).reviewId}/decide`, {
        key: sf.seller.key,
        body: { status: 'approved' },
      });
      expect(approved.body.data).toMatchObject({ buyerCustomerId: first.id, status: 'approved' });
      const rejected = await h.call('POST', `${reviews}/${reviewOf(second.id).reviewId}/decide`, {
        key: sf.seller.key,
        body: { status: 'rejected', reviewer_notes: 'Not this one' },
      });
      expect(rejected.body.data).toMatchObject({ buyerCustomerId: second.id, status: 'rejected' });
      // Only the approved buyer's version went on to the source.
      const forwarded = library
        .toolCalls()
        .filter((c) => c.tool === 'sync_creatives' && JSON.stringify(c.args).includes(id));
      expect(forwarded.map((c) => (c.args['creatives'] as unknown[])[0])).toEqual([
        versionOf('first'),
      ]);

      const listed = async (agent: typeof asFirst) =>
        (await agent.call('list_creatives', {})).creatives as Array<Record<string, unknown>>;
      expect(await listed(asFirst)).toEqual([
        expect.objectContaining({ creative_id: id, name: 'Creative of first', status: 'approved' }),
      ]);
      expect(await listed(asSecond)).toEqual([
        expect.objectContaining({
          creative_id: id,
          name: 'Creative of second',
          status: 'rejected',
        }),
      ]);
    } finally {
      await Promise.all([asFirst.close(), asSecond.close()]);
    }
  });

  it('sends creatives to a library source by sync_creatives, and inline on packages to a source without one', async () => {
    const { agent } = await libraryAndInline();
    const id = `cr_${randomUUID().slice(0, 8)}`;
    try {
      const synced = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        creatives: [creative(id)],
      });
      expect(synced.creatives[0]).toMatchObject({ creative_id: id, status: 'approved' });
      expect(
        library
          .toolCalls()
          .some((c) => c.tool === 'sync_creatives' && JSON.stringify(c.args).includes(id)),
      ).toBe(true);
      expect(inline.toolCalls().some((c) => c.tool === 'sync_creatives')).toBe(false);

      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const pick = (prefix: string) =>
        products.find((p: { product_id: string }) => p.product_id.startsWith(prefix));
      const packages = [pick('lib__'), pick('inl__')].map((p) => ({
        product_id: p.product_id,
        pricing_option_id: p.pricing_options[0].pricing_option_id,
        budget: 20_000,
        creative_assignments: [{ creative_id: id }],
      }));
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages,
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const sent = (seller: RunningSeller) =>
        seller
          .toolCalls()
          .filter((c) => c.tool === 'create_media_buy')
          .at(-1)?.args['packages'] as Array<Record<string, unknown>>;
      expect(sent(library)[0]).toMatchObject({ creative_assignments: [{ creative_id: id }] });
      expect(sent(library)[0]!['creatives']).toBeUndefined();
      expect(sent(inline)[0]!['creatives']).toEqual([creative(id)]);
      expect(sent(inline)[0]!['creative_assignments']).toBeUndefined();
    } finally {
      await agent.close();
    }
  });

  it('withdraws a creative the buyer archives: off its packages at every source, archived at the library source, listed archived', async () => {
    const { sf, agent } = await libraryAndInline();
    const [kept, recalled] = [`cr_${randomUUID().slice(0, 8)}`, `cr_${randomUUID().slice(0, 8)}`];
    try {
      await sync(agent, [creative(kept), creative(recalled)]);
      const created = await buyBoth(agent, [kept, recalled]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const carried = () => carriedBy(agent, created.media_buy_id);
      expect(await carried()).toEqual([[kept, recalled].sort(), [kept, recalled].sort()]);

      // Another buyer archiving the same creative id archives its own, never this buyer's.
      const other = await createCustomer(h, { role: 'BUYER' });
      const otherAgent = await agentClient(base, sf.platformId, other.key);
      try {
        const theirs = await otherAgent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account,
          creatives: [{ ...creative(recalled), status: 'archived' }],
        });
        expect(theirs.creatives).toEqual([
          { creative_id: recalled, action: 'updated', status: 'archived' },
        ]);
      } finally {
        await otherAgent.close();
      }
      expect(await carried()).toEqual([[kept, recalled].sort(), [kept, recalled].sort()]);
      const stillActive = await agent.call('list_creatives', {});
      expect(
        stillActive.creatives.map((c: { creative_id: string }) => c.creative_id).sort(),
      ).toEqual([kept, recalled].sort());
      const [libBefore, inlBefore] = [library.toolCalls().length, inline.toolCalls().length];

      // The buyer withdraws one creative the AdCP way: sent again with status archived.
      const archived = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creative_ids: [recalled],
        creatives: [{ ...creative(recalled), status: 'archived' }],
      });
      expect(archived.isError, JSON.stringify(archived)).toBe(false);
      expect(archived.creatives).toEqual([
        { creative_id: recalled, action: 'updated', status: 'archived' },
      ]);

      // Both sources' packages now carry only the creative that was kept.
      expect(await carried()).toEqual([[kept], [kept]]);
      const updates = (seller: RunningSeller, from: number) =>
        seller
          .toolCalls()
          .slice(from)
          .filter((c) => c.tool === 'update_media_buy')
          .map((c) => c.args['packages'] as Array<Record<string, unknown>>);
      expect(updates(library, libBefore)).toEqual([
        [expect.objectContaining({ creative_assignments: [{ creative_id: kept }] })],
      ]);
      // The source without a library gets the kept manifest inline, and the replacement list.
      expect(updates(inline, inlBefore)).toEqual([
        [
          expect.objectContaining({
            creative_assignments: [{ creative_id: kept }],
            creatives: [creative(kept)],
          }),
        ],
      ]);
      // The library source that had the creative is told it is archived.
      const forwarded = library
        .toolCalls()
        .slice(libBefore)
        .filter((c) => c.tool === 'sync_creatives')
        .flatMap((c) => c.args['creatives'] as Array<Record<string, unknown>>);
      expect(forwarded).toEqual([
        expect.objectContaining({ creative_id: recalled, status: 'archived' }),
      ]);

      // list_creatives leaves archived creatives out unless asked for them by status.
      const listed = await agent.call('list_creatives', {});
      expect(listed.creatives.map((c: { creative_id: string }) => c.creative_id)).toEqual([kept]);
      const archivedOnes = await agent.call('list_creatives', {
        filters: { statuses: ['archived'] },
      });
      expect(archivedOnes.creatives).toEqual([
        expect.objectContaining({ creative_id: recalled, status: 'archived' }),
      ]);

      // Synced again without the status, it is back in the library (unarchived).
      const restored = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(recalled)],
      });
      expect(restored.creatives).toEqual([
        expect.objectContaining({ creative_id: recalled, status: 'approved' }),
      ]);
    } finally {
      await agent.close();
    }
  });

  it('settles two racing create_media_buy calls with one idempotency key into one buy', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'lib', url: library.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const [a, b] = await Promise.all([
      agentClient(base, sf.platformId, buyer.key),
      agentClient(base, sf.platformId, buyer.key),
    ]);
    try {
      const { products } = await a.call('get_products', { buying_mode: 'wholesale' });
      const request = buyOf(products[0]);
      const answers = await Promise.all([
        a.call('create_media_buy', request),
        b.call('create_media_buy', request),
      ]);
      const ids = answers.filter((r) => !r.isError).map((r) => r.media_buy_id);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(1);
      const rows = await h.database.queryable.query(
        'select media_buy_id from storefront_media_buys where storefront_id = $1',
        [sf.id],
      );
      expect(rows.rows).toHaveLength(1);
      // A later replay answers the same buy.
      const replay = await a.call('create_media_buy', request);
      expect(replay.media_buy_id).toBe(ids[0]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
