import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDiscoveryRunsService,
  type NewDiscoveryRun,
} from '../../../src/modules/discovery-runs/index.js';
import { createHarness, type Harness } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const run = (storefrontId: number, productIds: string[], brief = 'spring'): NewDiscoveryRun => ({
  storefrontId,
  buyerCustomerId: 7,
  brief,
  productIds,
  durationMs: 3,
});

const count = async (storefrontId: number) =>
  (
    await h.database.queryable.query(
      'select count(*)::int as n from discovery_runs where storefront_id = $1',
      [storefrontId],
    )
  ).rows[0]!['n'];

describe('discovery runs written behind the answer', () => {
  it('are seen at once by this instance, written in batches, and all flushed', async () => {
    const runs = createDiscoveryRunsService({ db: h.database.db });
    const pending = Array.from({ length: 450 }, (_, i) => runs.record(run(9001, [`p${i}`])));
    // The latest run showing a product is found although its insert was only queued.
    expect(await runs.latestShowing(9001, 7, ['p449'])).not.toBeNull();
    await runs.flush();
    await Promise.all(pending);
    expect(await count(9001)).toBe(450);
  });

  it('reports a run the database refuses, with its content, and still writes the others', async () => {
    const lost: NewDiscoveryRun[] = [];
    const runs = createDiscoveryRunsService({
      db: h.database.db,
      onLost: (_error, refused) => lost.push(...refused),
    });
    const good = runs.record(run(9002, ['a']));
    // PostgreSQL refuses a NUL byte in text: the whole batch fails, then rows go one by one.
    const bad = runs.record(run(9002, ['b'], 'nul \u0000 brief'));
    const good2 = runs.record(run(9002, ['c']));
    await runs.flush();
    const [goodId, good2Id] = [await good, await good2];
    expect(goodId).toEqual(expect.any(Number));
    expect(good2Id).toBeGreaterThan(goodId);
    await expect(bad).rejects.toBeDefined();
    expect(lost.map((r) => r.productIds)).toEqual([['b']]);
    expect(await count(9002)).toBe(2);
  });
});
