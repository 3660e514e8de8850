import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductIssueLog } from '../../../src/modules/inventory-sources/product-issues/product-issues.js';
import { createHarness, type Harness } from '../../harness.js';
import { modularStorefront } from '../modular-sources/support.js';

/*
 * The seller's record of refused products (product-issues.ts) is written beside every buyer's
 * get_products: it must cost nothing while nothing changes, and stay right with several
 * instances writing. Two logs over one database stand for two instances; each has its own clock.
 */

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function sourceRowId(): Promise<number> {
  const sf = await modularStorefront(h);
  const { rows } = await h.database.queryable.query(
    'select id from inventory_sources where storefront_id = $1',
    [sf.id],
  );
  return Number(rows[0]!.id);
}

async function recorded(inventorySourceId: number) {
  const { rows } = await h.database.queryable.query(
    `select product_id, field, first_seen_at, last_seen_at from inventory_source_product_issues
      where inventory_source_id = $1 order by product_id`,
    [inventorySourceId],
  );
  return rows.map((r) => ({
    productId: r['product_id'],
    field: r['field'],
    first: (r['first_seen_at'] as Date).getTime(),
    last: (r['last_seen_at'] as Date).getTime(),
  }));
}

function clock(start: number) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

const bad = (productId: string, field = '/channels/0') => ({
  productId,
  field,
  message: 'must be one of: "display", "olv"',
});

describe('the record of products AdCP refuses', () => {
  it("writes an unchanged issue's last sighting at most once a minute, a change at once", async () => {
    const id = await sourceRowId();
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const c = clock(t0);
    const note = createProductIssueLog(h.database.db, c.now);
    const report = (refused: ReturnType<typeof bad>[]) => ({
      inventorySourceId: id,
      refused,
      passed: [{ product_id: 'good' }],
      complete: false,
    });
    await note(report([bad('p1')]));
    expect(await recorded(id)).toEqual([
      { productId: 'p1', field: '/channels/0', first: t0, last: t0 },
    ]);
    c.advance(30_000);
    await note(report([bad('p1')]));
    expect((await recorded(id))[0]!.last).toBe(t0);
    // Refused on another field: written at once, still refused since t0.
    c.advance(1_000);
    await note(report([bad('p1', '/pricing_options')]));
    expect(await recorded(id)).toEqual([
      { productId: 'p1', field: '/pricing_options', first: t0, last: t0 + 31_000 },
    ]);
    c.advance(60_000);
    await note(report([bad('p1', '/pricing_options')]));
    expect((await recorded(id))[0]!.last).toBe(t0 + 91_000);
  });

  it('clears a product valid again, whichever instance recorded it', async () => {
    const id = await sourceRowId();
    const t0 = Date.parse('2030-01-02T00:00:00Z');
    const a = createProductIssueLog(h.database.db, clock(t0).now);
    const b = createProductIssueLog(h.database.db, clock(t0 + 1_000).now);
    await a({
      inventorySourceId: id,
      refused: [bad('p1'), bad('p2')],
      passed: [],
      complete: false,
    });
    expect((await recorded(id)).map((r) => r.productId)).toEqual(['p1', 'p2']);
    // Another instance sees p1 valid in a buyer's answer (p2 not in it: it was a brief).
    await b({
      inventorySourceId: id,
      refused: [],
      passed: [{ product_id: 'p1' }],
      complete: false,
    });
    expect((await recorded(id)).map((r) => r.productId)).toEqual(['p2']);
  });

  it('clears a product gone from a listing of everything, not from an answer to a brief', async () => {
    const id = await sourceRowId();
    const c = clock(Date.parse('2030-01-03T00:00:00Z'));
    const note = createProductIssueLog(h.database.db, c.now);
    await note({ inventorySourceId: id, refused: [bad('p1')], passed: [], complete: false });
    await note({
      inventorySourceId: id,
      refused: [],
      passed: [{ product_id: 'other' }],
      complete: false,
    });
    expect(await recorded(id)).toHaveLength(1);
    await note({
      inventorySourceId: id,
      refused: [],
      passed: [{ product_id: 'other' }],
      complete: true,
    });
    expect(await recorded(id)).toEqual([]);
  });

  it('records one row per product when an answer repeats a refused id', async () => {
    const id = await sourceRowId();
    const note = createProductIssueLog(
      h.database.db,
      clock(Date.parse('2030-01-04T00:00:00Z')).now,
    );
    await note({
      inventorySourceId: id,
      refused: [bad('dup'), bad('dup', '/name')],
      passed: [],
      complete: false,
    });
    expect(await recorded(id)).toEqual([expect.objectContaining({ productId: 'dup' })]);
  });
});
