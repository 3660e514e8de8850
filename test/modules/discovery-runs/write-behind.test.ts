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
    // In batches of at most 200 rows: each insert commits its rows in one transaction.
    const { rows } = await h.database.queryable.query(
      'select count(distinct xmin::text)::int as n from discovery_runs where storefront_id = 9001',
    );
    expect(rows[0]!['n']).toBeLessThanOrEqual(Math.ceil(450 / 200));
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

  it('writes every field as recorded, nulls and defaults included, ids in the order recorded', async () => {
    const runs = createDiscoveryRunsService({ db: h.database.db });
    const createdAt = new Date('2026-11-24T10:00:00.123Z');
    const full: NewDiscoveryRun = {
      storefrontId: 9003,
      buyerCustomerId: 8,
      operatorDomain: 'agency.example',
      brandDomain: 'brand.example',
      country: 'DE',
      buyingMode: 'refine',
      brief: 'quotes " and \\ backslashes, ünïcödé',
      refine: [{ scope: 'request', ask: 'cheaper' }],
      productIds: ['s1__a', 's2__b "quoted"'],
      packages: { pk: [{ productId: 's1__a', pricingOptionIds: ['cpm'] }] },
      sourceOutcomes: [
        { sourceId: 's1', ok: false, productCount: 0, errorCode: 'X', latencyMs: 9 },
      ],
      discountPercent: 12.5,
      selectedPosture: 'anchor',
      recommendedPosture: 'floor',
      postureRationale: 'why',
      durationMs: 41,
      createdAt,
    };
    const bare: NewDiscoveryRun = { storefrontId: 9003, durationMs: 2, refine: null };
    const ids = await Promise.all([runs.record(full), runs.record(bare), runs.record(full)]);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(ids[2]).toBeGreaterThan(ids[1]!);
    const { rows } = await h.database.queryable.query(
      'select * from discovery_runs where storefront_id = 9003 order by id',
    );
    expect(rows.map((r) => Number(r['id']))).toEqual(ids);
    expect(rows[0]).toEqual({
      id: expect.anything(),
      storefront_id: 9003,
      buyer_customer_id: 8,
      operator_domain: 'agency.example',
      brand_domain: 'brand.example',
      country: 'DE',
      buying_mode: 'refine',
      brief: full.brief,
      refine: full.refine,
      product_ids: full.productIds,
      packages: full.packages,
      // The quotes shown (issue 68's binding quote): none on this run, so the default.
      quotes: {},
      source_outcomes: full.sourceOutcomes,
      discount_percent: 12.5,
      selected_posture: 'anchor',
      recommended_posture: 'floor',
      posture_rationale: 'why',
      duration_ms: 41,
      created_at: createdAt,
    });
    expect(rows[1]).toMatchObject({
      buyer_customer_id: null,
      brief: null,
      refine: null,
      product_ids: [],
      packages: {},
      quotes: {},
      source_outcomes: [],
      discount_percent: null,
      duration_ms: 2,
    });
    expect(rows[1]!['created_at']).toBeInstanceOf(Date);
  });
});
