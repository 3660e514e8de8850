import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  account,
  buyBoth,
  callsOf,
  creative,
  libraryAndInline,
  newCreativeId,
  sync,
  creativeWorld,
} from './storefront-creatives-support.js';

/*
 * A creative assignment's `weight` and `placement_ids` (core/creative-assignment.json; sync
 * assignments alike) are the buyer's rotation: they reach the package's source (on the
 * assignment at a library source, on the inline manifest at one without: creative-asset.json
 * `weight`), survive every later change of the package's creatives, and read back where AdCP
 * reports a creative's assignments (list_creatives `include_assignments`, 3.0.6 and 3.1) and a
 * package's (3.1 update_media_buy `affected_packages`). A buyer re-sending an assignment with a
 * new weight gets it applied. Through the official MCP client.
 */

const world = creativeWorld();

type Assigned = { package_id: string; assigned_date: string; weight?: number };

describe('creative assignment weights', () => {
  it('reach the source, change when re-sent, and read back', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const [a, b] = [newCreativeId(), newCreativeId()];
    const pin = { adcp_version: '3.1' };
    try {
      await sync(agent, [creative(a), creative(b)]);
      const before = [library, inline].map((s) => s.toolCalls().length);
      const created = await buyBoth(agent, [
        { creative_id: a, weight: 70, placement_ids: ['top'] },
        { creative_id: b, weight: 30 },
      ]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const [libPkg, inlPkg] = (created.packages as Array<{ package_id: string }>).map(
        (p) => p.package_id,
      ) as [string, string];
      // The source without a library gets the manifests inline, each with its weight.
      const [placed] = callsOf(inline, 'create_media_buy', before[1]);
      expect(placed?.args['packages']).toEqual([
        expect.objectContaining({
          creatives: [
            { ...creative(a), weight: 70, placement_ids: ['top'] },
            { ...creative(b), weight: 30 },
          ],
        }),
      ]);

      // A 3.0 buyer re-sends a's assignment with a new weight: the library source is told, b
      // keeping its own; the inline package is not changed.
      const resent = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(a)],
        assignments: [{ creative_id: a, package_id: libPkg, weight: 20 }],
      });
      expect(resent.creatives[0]).toMatchObject({ creative_id: a, assigned_to: [libPkg] });
      expect(resent.creatives[0].assignment_errors).toBeUndefined();
      const updates = callsOf(library, 'update_media_buy', before[0]);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.args['packages']).toEqual([
        expect.objectContaining({
          creative_assignments: [
            { creative_id: a, weight: 20 },
            { creative_id: b, weight: 30 },
          ],
        }),
      ]);
      const elsewhere = callsOf(inline, 'update_media_buy', before[1]);
      expect(elsewhere.map((c) => c.args['packages'])).toEqual(elsewhere.map(() => undefined));

      // list_creatives reports each creative's packages with its weight there, 3.0 and 3.1 alike.
      for (const asked of [{}, pin]) {
        const listed = await agent.call('list_creatives', {
          ...asked,
          account,
          include_assignments: true,
          filters: { creative_ids: [a, b] },
        });
        expect(listed.isError, JSON.stringify(listed)).toBe(false);
        const byId = Object.fromEntries(
          (listed.creatives as Array<{ creative_id: string; assignments: unknown }>).map((c) => [
            c.creative_id,
            c.assignments,
          ]),
        );
        const on = (packageId: string, extra: Record<string, unknown>) => ({
          package_id: packageId,
          assigned_date: expect.any(String),
          ...extra,
        });
        expect(byId[a]).toEqual({
          assignment_count: 2,
          assigned_packages: [
            on(libPkg, { weight: 20 }),
            on(inlPkg, { weight: 70, placement_ids: ['top'] }),
          ],
        });
        expect(byId[b]).toEqual({
          assignment_count: 2,
          assigned_packages: [on(libPkg, { weight: 30 }), on(inlPkg, { weight: 30 })],
        });
        const [first] = (byId[a] as { assigned_packages: Assigned[] }).assigned_packages;
        expect(Number.isNaN(Date.parse(first!.assigned_date))).toBe(false);
      }
      const plain = await agent.call('list_creatives', { account });
      expect(plain.creatives[0].assignments).toBeUndefined();

      // The same weight again asks no source.
      await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(a)],
        assignments: [{ creative_id: a, package_id: libPkg, weight: 20 }],
      });
      expect(callsOf(library, 'update_media_buy', before[0])).toHaveLength(1);

      // A 3.1 update of the inline package's weights: the source gets them, and the answer's
      // affected package shows them.
      const updated = await agent.call('update_media_buy', {
        ...pin,
        account,
        media_buy_id: created.media_buy_id,
        idempotency_key: randomUUID(),
        packages: [
          {
            package_id: inlPkg,
            creative_assignments: [{ creative_id: a, weight: 10 }, { creative_id: b }],
          },
        ],
      });
      expect(updated.isError, JSON.stringify(updated)).toBe(false);
      expect(updated.affected_packages[0].creative_assignments).toEqual([
        { creative_id: a, weight: 10 },
        { creative_id: b },
      ]);
      const toInline = callsOf(inline, 'update_media_buy', before[1]).at(-1);
      expect(toInline?.args['packages']).toEqual([
        expect.objectContaining({
          creative_assignments: [{ creative_id: a, weight: 10 }, { creative_id: b }],
          creatives: [{ ...creative(a), weight: 10 }, creative(b)],
        }),
      ]);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
