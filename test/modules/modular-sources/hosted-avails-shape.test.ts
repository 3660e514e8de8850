import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { day, modularStorefront, sources } from './support.js';

/**
 * An avails feed written exactly as hosted's IngestModularAvailsFeedBody documents each avail:
 * its formats as `formatOptions` (canonical format options, `format_kind` + `params`), not our
 * `formats` cell. Every row sells, over a real socket, through the avails feed and the file feed.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await h?.close();
});

async function post(path: string, key: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const json: any = await res.json();
  return { status: res.status, body: json };
}

/** Hosted's avail (IngestModularAvailsFeedBody.avails[]), every required field as documented. */
const hostedAvail = (i: number) => ({
  collectionId: 'homepage',
  collectionName: 'Homepage',
  channel: 'display',
  formatOptions: [
    {
      format_option_id: i % 2 ? 'display_300x250' : 'display_728x90',
      format_kind: 'image',
      params: { width: i % 2 ? 300 : 728, height: i % 2 ? 250 : 90 },
    },
  ],
  publisherProperties: [{ publisher_domain: 'news.example', selection_type: 'all' }],
  availId: `hp-${i}`,
  name: `Homepage slot ${i}`,
  startTime: day(1),
  endTime: day(30),
  impressionsCapacity: 10_000 + i,
  cpm: 12.5,
  currency: 'USD',
});

describe("hosted's avail shape (formatOptions)", () => {
  it('sells all 25 avails sent as hosted documents them', async () => {
    const { seller, sourceId } = await modularStorefront(h);
    const avails = Array.from({ length: 25 }, (_, i) => hostedAvail(i));
    const res = await post(`${sources}/${sourceId}/modular/avails-feed`, seller.key, {
      confirmed: true,
      avails,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.rejectedRows).toEqual([]);
    expect(res.body.data).toMatchObject({ parsedAvailCount: 25, ingestedAvailCount: 25 });
    const sold = res.body.data.avails.find((a: { availId: string }) => a.availId === 'hp-1');
    expect(sold.formatOptions).toEqual([
      {
        format_option_id: 'display_300x250',
        format_kind: 'image',
        params: { width: 300, height: 250 },
      },
    ]);
    // Hosted's `products`: the products the ingested avails became, as …/modular/products lists them.
    const productIds = res.body.data.products.map((p: { product_id: string }) => p.product_id);
    expect(productIds.sort()).toEqual(avails.map((a) => a.availId).sort());
    const listed = await fetch(`${base}${sources}/${sourceId}/modular/products?limit=100`, {
      headers: { authorization: `Bearer ${seller.key}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    const onSale: any = await listed.json();
    const sold1 = onSale.data.products.find((p: { product_id: string }) => p.product_id === 'hp-1');
    expect(
      res.body.data.products.find((p: { product_id: string }) => p.product_id === 'hp-1'),
    ).toEqual(sold1);
    // A preview puts nothing on sale, so it answers no products.
    const previewed = await post(`${sources}/${sourceId}/modular/avails-feed`, seller.key, {
      avails: [hostedAvail(99)],
    });
    expect(previewed.status).toBe(200);
    expect(previewed.body.data.previewOnly).toBe(true);
    expect(previewed.body.data).not.toHaveProperty('products');
    const capabilities = await fetch(
      `${base}${sources}/${sourceId}/modular/inventory/capabilities`,
      { headers: { authorization: `Bearer ${seller.key}` } },
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    const found: any = await capabilities.json();
    expect(found.data.formatIds).toEqual(['display_300x250', 'display_728x90']);
  });

  it('reads formatOptions in a JSON feed file too, and refuses a malformed one by row', async () => {
    const { seller, sourceId } = await modularStorefront(h);
    const rows = [
      hostedAvail(1),
      { ...hostedAvail(2), formatOptions: [{ format_kind: 'hologram' }] },
    ];
    const res = await post(`${sources}/${sourceId}/feed/preview`, seller.key, {
      contractId: 'static-avails-feed:v1',
      jsonText: JSON.stringify(rows),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 1 });
    expect(res.body.data.rejectedRows[0]).toMatchObject({
      rowNumber: 2,
      diagnostics: [
        expect.objectContaining({ code: 'INVALID_CANONICAL_FORMATS', field: 'formats' }),
      ],
    });
  });
});

/**
 * Hosted's catalogMappingReadiness on the readiness projection: the source's set-up checklist,
 * each row's status read from what the source holds (an avails feed committed or not).
 */
describe("hosted's catalogMappingReadiness", () => {
  type Row = { id: string; status: string | null; requirement: string };
  const rowsOf = (data: { catalogMappingReadiness: { sections: { rows: Row[] }[] } }) =>
    data.catalogMappingReadiness.sections.flatMap((s) => s.rows);

  it('shows avails not yet on sale, then on sale once a feed is committed', async () => {
    const { seller, sourceId } = await modularStorefront(h);
    const path = `${sources}/${sourceId}/modular`;
    const before = (await h.call('GET', path, { key: seller.key })).body.data;
    const mapping = before.catalogMappingReadiness;
    expect(mapping.sections.map((s: { id: string }) => s.id)).toEqual([
      'SET_UP_INVENTORY',
      'MAKE_IT_MERCHANDISABLE',
      'PROVE_IT',
    ]);
    const avails = rowsOf(before).find((r) => r.id === 'avails_on_sale');
    expect(avails).toMatchObject({ status: 'NOT_STARTED', requirement: 'REQUIRED' });
    expect(mapping.nextAction).toEqual({
      operation: 'open_modular_avails_commit',
      arguments: { sourceId },
    });
    expect(mapping.progress.percent).toBeLessThan(100);

    const fed = await post(`${path}/avails-feed`, seller.key, {
      confirmed: true,
      avails: [hostedAvail(1), hostedAvail(2)],
    });
    expect(fed.status).toBe(200);
    const after = (await h.call('GET', path, { key: seller.key })).body.data;
    const onSale = rowsOf(after).find((r) => r.id === 'avails_on_sale');
    expect(onSale).toMatchObject({ status: 'READY' });
    expect(onSale).toHaveProperty('evidence', [
      expect.objectContaining({ code: 'active_avail_count', value: 2 }),
    ]);
    expect(after.catalogMappingReadiness.progress.ready).toBeGreaterThan(mapping.progress.ready);
    // The confirmed ingest's projection answers the same checklist.
    expect(fed.body.data.projection.catalogMappingReadiness).toEqual(after.catalogMappingReadiness);
  });
});
