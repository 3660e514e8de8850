import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingHeld } from '../../../src/modules/modular-sources/feeds/preview.js';
import { createHarness, type Harness } from '../../harness.js';
import { availRow, header, modularStorefront, sources } from './support.js';

/**
 * Issue 45: memory per upload bounded independently of row count. A preview streams rows through
 * batches: what it holds in memory at once (rows waiting for their batch's insert, and anything
 * kept per row read) stays under two batches whatever the file's size, and what users see of
 * it (counts, refused duplicates, the first rows) is the same as before. docs/security.md,
 * "Uploads", has the server's RSS per upload for 10k to 100k rows (scripts/upload-probe.ts).
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('a large preview', () => {
  it('holds at most two batches of rows at once, and still refuses an avail id seen on an earlier row, in any batch', async () => {
    const sf = await modularStorefront(h);
    const rows = 6_000;
    const lines = [header];
    for (let i = 1; i <= rows; i++) lines.push(availRow(`av${i}`, 1000));
    // Row numbers count the header as line 1: avail av3 is on line 4.
    lines.push(availRow('av3', 2000)); // a duplicate of an avail in the first batch, far later
    lines.push(availRow('av6000', 2000)); // a duplicate of the row just before it
    stagingHeld.peak = 0;
    const previewed = await h.call('POST', `${sources}/${sf.sourceId}/feed/preview`, {
      key: sf.seller.key,
      body: { contractId: 'static-avails-feed:v1', csvText: lines.join('\n') },
    });
    expect(previewed.status, previewed.text.slice(0, 500)).toBe(200);
    const data = previewed.body.data;
    expect(data.summary).toMatchObject({
      parsedAvailCount: rows,
      rejectedRowCount: 2,
      factsShown: 100,
    });
    expect(
      data.rejectedRows.map((r: { rowNumber: number; diagnostics: Array<{ code: string }> }) => [
        r.rowNumber,
        r.diagnostics.map((d) => d.code),
      ]),
    ).toEqual([
      [rows + 2, ['DUPLICATE_AVAIL_ID']],
      [rows + 3, ['DUPLICATE_AVAIL_ID']],
    ]);
    expect(data.rejectedRows[0].diagnostics[0]).toMatchObject({
      field: 'availId',
      value: 'av3',
      message: 'availId av3 appears on an earlier row of this feed',
    });
    expect(data.rejectedRows[0].rawRow).toMatchObject({ avail_id: 'av3', impressions: '2000' });
    expect(data.avails[0]).toMatchObject({ availId: 'av1', impressionsCapacity: 1000 });
    expect(data.commitImpact).toMatchObject({ newAvailCount: rows, updatedAvailCount: 0 });
    // The bound: never more than two batches (500 rows each) held at once, for 6,000 rows.
    expect(stagingHeld.peak).toBeGreaterThan(0);
    expect(stagingHeld.peak).toBeLessThanOrEqual(1_000);
  }, 120_000);
});
