import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, day, header, modularStorefront, sources } from './support.js';

/**
 * What a feed row must be to go on sale: AdCP's channels and pricing models, a known format, a
 * flight still to run, impressions to sell, a CPM under the source's ceiling (checked as the
 * database will store it) and every column a sellable row needs. Each refusal names the row,
 * the column, the value and why; the rest of the file commits.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Diagnostic = {
  code: string;
  column?: string;
  field?: string;
  value?: string;
  message: string;
};
type Refused = { rowNumber: number; diagnostics: Diagnostic[] };

async function preview(key: string, sourceId: string, csvText: string) {
  const answer = await h.call('POST', `${sources}/${sourceId}/feed/preview`, {
    key,
    body: { contractId: 'static-avails-feed:v1', csvText },
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.data;
}

async function commit(key: string, sourceId: string, previewed: Record<string, unknown>) {
  return h.call('POST', `${sources}/${sourceId}/feed/commit`, {
    key,
    body: { feedId: previewed['feedId'], previewBaseline: previewed['previewBaseline'] },
  });
}

const onSale = async (key: string, sourceId: string) =>
  (await h.call('GET', `${sources}/${sourceId}/modular/products`, { key })).body.data.products.map(
    (p: { product_id: string }) => p.product_id,
  );

/** Each refused row as [row, column, code], and its first diagnostic's message by row. */
const refusals = (rows: Refused[]) =>
  rows.map((r) => [r.rowNumber, r.diagnostics[0]!.column, r.diagnostics[0]!.code]);
const messageOf = (rows: Refused[], row: number) =>
  rows.find((r) => r.rowNumber === row)!.diagnostics[0]!.message;

describe('rows that cannot sell', () => {
  it('refuses a channel, flight, capacity, CPM and format that cannot sell, by row and column', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const row = (id: string, cells: Partial<Record<number, string>>) =>
      availRow(id, 1000)
        .split(',')
        .map((cell, i) => cells[i] ?? cell)
        .join(',');
    const csv = [
      header,
      availRow('good', 1000),
      row('billboards', { 3: 'billboards' }),
      row('last-year', { 4: '2025-03-01', 5: '2025-03-31' }),
      row('reversed', { 4: day(10), 5: day(5) }),
      availRow('nothing', 0),
      availRow('dearest', 1000, 99_999_999),
      row('hologram', { 9: 'hologram' }),
    ].join('\n');
    const previewed = await preview(key, sf.sourceId, csv);
    expect(previewed.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 6 });
    const refused = previewed.rejectedRows as Refused[];
    expect(refusals(refused)).toEqual([
      [3, 'channel', 'UNKNOWN_CHANNEL'],
      [4, 'end_time', 'INVALID_FLIGHT'],
      [5, 'end_time', 'INVALID_FLIGHT'],
      [6, 'impressions', 'INVALID_NUMBER'],
      [7, 'cpm', 'CPM_ABOVE_CEILING'],
      [8, 'formats', 'UNKNOWN_FORMAT'],
    ]);
    // Each message says what would be accepted.
    expect(messageOf(refused, 3)).toMatch(/billboards.*display.*olv.*ctv/s);
    expect(messageOf(refused, 4)).toContain('ended');
    expect(messageOf(refused, 6)).toContain('greater than 0');
    expect(messageOf(refused, 7)).toMatch(/1,?000/);
    expect(messageOf(refused, 7)).toContain('maxCpm');
    expect(messageOf(refused, 8)).toMatch(/"hologram".*MPU.*300x250.*15s video/s);

    expect((await commit(key, sf.sourceId, previewed)).status).toBe(200);
    expect(await onSale(key, sf.sourceId)).toEqual(['good']);
    // Every buyer's answer holds: the one sellable avail, whatever mode it asks in.
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      for (const ask of [
        { buying_mode: 'wholesale' },
        { buying_mode: 'brief', brief: 'homepage', account },
        { buying_mode: 'brief', brief: 'homepage', account, pagination: { max_results: 5 } },
      ]) {
        const found = await agent.call('get_products', ask);
        expect(found.isError, JSON.stringify(found)).toBe(false);
        expect(found.products.map((p: { name: string }) => p.name)).toEqual([
          'Homepage takeover good',
        ]);
      }
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('checks a CPM as the database stores it: a value that rounds past a bound is refused before commit', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    // Under no ceiling a publisher could set, 9999999999.99999 rounds to 10^10 in numeric(14,4):
    // previewed VALID, it failed the commit with a 500.
    const config = await h.call(
      'PATCH',
      `${sources}/${sf.sourceId}/modular/modules/avails-feed/config`,
      { key, body: { config: { maxCpm: 9_999_999_999 } } },
    );
    expect(config.status, config.text).toBe(200);
    const previewed = await preview(
      key,
      sf.sourceId,
      `${header}\n${availRow('fine', 1000)}\n${availRow('rounds-over', 1000).replace(',20,', ',9999999999.99999,')}`,
    );
    const committed = await commit(key, sf.sourceId, previewed);
    expect(committed.status, committed.text).toBe(200);
    expect(refusals(previewed.rejectedRows)).toEqual([[3, 'cpm', 'CPM_ABOVE_CEILING']]);
    expect(messageOf(previewed.rejectedRows, 3)).toContain('10000000000');
    expect(await onSale(key, sf.sourceId)).toEqual(['fine']);
  });

  it('holds a CPM to the ceiling the source sets, after rounding to four decimals', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}/modular/modules/avails-feed/config`;
    for (const wrong of [-5, 0, 'lots', 1e13]) {
      const refused = await h.call('PATCH', src, { key, body: { config: { maxCpm: wrong } } });
      expect(refused.status, `${wrong}: ${refused.text}`).toBe(400);
      expect(refused.body.error.field).toBe('config.maxCpm');
    }
    expect((await h.call('PATCH', src, { key, body: { config: { maxCpm: 50 } } })).status).toBe(
      200,
    );
    const previewed = await preview(
      key,
      sf.sourceId,
      [
        header,
        availRow('at-ceiling', 1000, 50.00004),
        availRow('over-ceiling', 1000, 50.00005),
        availRow('well-over', 1000, 120),
      ].join('\n'),
    );
    expect(refusals(previewed.rejectedRows)).toEqual([
      [3, 'cpm', 'CPM_ABOVE_CEILING'],
      [4, 'cpm', 'CPM_ABOVE_CEILING'],
    ]);
    expect(messageOf(previewed.rejectedRows, 3)).toContain('50.0001');
    expect(previewed.avails[0].cpm).toBe(50);
    expect((await commit(key, sf.sourceId, previewed)).status).toBe(200);
    const products = (await h.call('GET', `${sources}/${sf.sourceId}/modular/products`, { key }))
      .body.data.products;
    expect(
      products.map(
        (p: { pricing_options: Array<{ fixed_price: number }> }) =>
          p.pricing_options[0]!.fixed_price,
      ),
    ).toEqual([50]);
  });

  it('reports a missing CPM column once, by column, and commits nothing', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const noCpm = (line: string) =>
      line
        .split(',')
        .filter((_, i) => i !== 7)
        .join(',');
    const csv = [header, availRow('a', 1000), availRow('b', 1000), availRow('c', 1000)]
      .map(noCpm)
      .join('\n');
    const previewed = await preview(key, sf.sourceId, csv);
    expect(previewed.revision.validationStatus).toBe('INVALID');
    expect(previewed.summary).toMatchObject({ parsedAvailCount: 0, rejectedRowCount: 3 });
    const missing = (previewed.revision.diagnostics as Diagnostic[]).filter((d) =>
      /cpm/i.test(JSON.stringify(d)),
    );
    expect(missing).toEqual([
      expect.objectContaining({ code: 'MISSING_COLUMN', field: 'cpm', scope: 'REVISION' }),
    ]);
    expect(missing[0]!.message).toMatch(/CPM.*Rate.*Price/s);
    // Listed once, at the header row: not once per row.
    expect(previewed.rejectedRows).toEqual([
      expect.objectContaining({
        rowNumber: 1,
        diagnostics: [expect.objectContaining({ code: 'MISSING_COLUMN', field: 'cpm' })],
      }),
    ]);
    const paged = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/feed/revisions/${previewed.revision.revisionId}/rejected-rows`,
      { key },
    );
    expect(paged.body.data).toMatchObject({ total: 1, hasMore: false, nextOffset: null });
    const committed = await commit(key, sf.sourceId, previewed);
    expect(committed.status).toBe(400);
    expect(await onSale(key, sf.sourceId)).toEqual([]);
  });

  it('takes AdCP pricing models and sells by CPM: another model or an unknown one is refused', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const csv = [
      `${header},pricing_model`,
      `${availRow('cpm', 1000)},CPM`,
      `${availRow('flat', 1000)},flat_rate`,
      `${availRow('spot', 1000)},per spot`,
    ].join('\n');
    const previewed = await preview(key, sf.sourceId, csv);
    expect(refusals(previewed.rejectedRows)).toEqual([
      [3, 'pricing_model', 'UNSUPPORTED_PRICING_MODEL'],
      [4, 'pricing_model', 'UNKNOWN_PRICING_MODEL'],
    ]);
    expect(messageOf(previewed.rejectedRows, 4)).toMatch(/cpm.*vcpm.*cpc.*flat_rate/s);
    expect(previewed.avails.map((a: { availId: string }) => a.availId)).toEqual(['cpm']);
  });
});
