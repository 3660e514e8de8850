import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  account,
  buyBoth,
  carriedBy,
  creative,
  libraryAndInline,
  newCreativeId,
  sync,
  creativeWorld,
} from './storefront-creatives-support.js';

/*
 * sync_creatives with `dry_run: true` (creative/sync-creatives-request.json, 3.0.6 and 3.1): the
 * storefront rehearses the sync and changes nothing. No creative enters or changes in the
 * library, no assignment is made, nothing is sent to a source; the answer says what would happen
 * (`dry_run: true`, each creative's action, its assignments' outcomes). Through the official MCP
 * client, as a 3.0 and as a 3.1 buyer.
 */

const world = creativeWorld();

describe('sync_creatives dry_run', () => {
  it('changes nothing and answers what the sync would do', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const a = newCreativeId();
    try {
      await sync(agent, [creative(a)]);
      const created = await buyBoth(agent, [a]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const [libPkg] = (created.packages as Array<{ package_id: string }>).map(
        (p) => p.package_id,
      ) as [string, string];
      for (const pin of [{}, { adcp_version: '3.1' }]) {
        const b = newCreativeId();
        const before = [library, inline].map((s) => s.toolCalls().length);
        const rehearsed = await agent.call('sync_creatives', {
          ...pin,
          idempotency_key: randomUUID(),
          account,
          dry_run: true,
          creatives: [creative(b), { ...creative(a), name: 'Renamed in a rehearsal' }],
          assignments: [
            { creative_id: b, package_id: libPkg, weight: 40 },
            { creative_id: b, package_id: 'lib__no_such_package' },
          ],
        });
        expect(rehearsed.isError, JSON.stringify(rehearsed)).toBe(false);
        expect(rehearsed.dry_run).toBe(true);
        expect(rehearsed.creatives).toEqual([
          {
            creative_id: b,
            action: 'created',
            status: 'approved',
            assigned_to: [libPkg],
            assignment_errors: {
              lib__no_such_package: 'PACKAGE_NOT_FOUND: Package lib__no_such_package not found',
            },
          },
          { creative_id: a, action: 'updated', status: 'approved' },
        ]);
        // Nothing was sent to a source, the library is as it was, the packages carry what they
        // did. A rehearsal is judged as the sync is, so the formats its creatives name may be read
        // (list_creative_formats, for their limits): a read, which changes nothing there.
        const sent = (calls: Array<{ tool: string }>) =>
          calls.filter((call) => call.tool !== 'list_creative_formats');
        expect(sent(library.toolCalls().slice(before[0]))).toEqual([]);
        expect(sent(inline.toolCalls().slice(before[1]))).toEqual([]);
        const listed = await agent.call('list_creatives', { ...pin, account });
        expect(listed.creatives.map((c: { creative_id: string }) => c.creative_id)).toEqual([a]);
        expect(listed.creatives[0].name).toBe(`Creative ${a}`);
        expect(await carriedBy(agent, created.media_buy_id)).toEqual([[a], [a]]);
      }
    } finally {
      await agent.close();
    }
  }, 120_000);
});
