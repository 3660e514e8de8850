import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { day, modularStorefront, sources } from './support.js';

/**
 * A sheet as a publisher's sales team keeps it: its own headers (Placement, Imps, Start date,
 * Rate, Size…), format names and sizes rather than AdCP format ids, channels as people say them.
 * The preview shows how each was read; the buyer gets AdCP formats and channels.
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

async function upload(
  key: string,
  sourceId: string,
  csv: string,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'rate-card.csv');
  const response = await fetch(`${base}${sources}/${sourceId}/feed/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const start = day(1).slice(0, 10);
const end = day(40).slice(0, 10);

/** The format names and sizes a rate card uses, the AdCP format each becomes, on its channel. */
const written: Array<[string, string, string]> = [
  ['MPU', 'display_300x250', 'Display'],
  ['300x250', 'display_300x250', 'display'],
  ['300 x 250', 'display_300x250', 'DISPLAY'],
  ['leaderboard', 'display_728x90', 'Display'],
  ['728x90', 'display_728x90', 'Display'],
  ['Skyscraper', 'display_160x600', 'Display'],
  ['billboard 970x250', 'display_970x250', 'Display'],
  ['15s video', 'video_15s', 'Online video'],
  ['Pre-roll', 'video_vast', 'OLV'],
  ['native', 'native_in_feed', 'Display'],
  ['Audio 30s', 'audio_30s', 'Streaming audio'],
];

describe('a rate card as people write it', () => {
  it('reads its headers, format names and channels, shows the mapping, and sells AdCP formats', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const csv = [
      'Placement ID,Placement,Channel,Start date,End date,Imps,Rate,Currency,Size',
      ...written.map(
        ([format, , channel], i) =>
          `p${i},Placement ${i},${channel},${start},${end},${10_000 + i},12.5,USD,"${format}"`,
      ),
      `p-both,Two sizes,Display,${start},${end},5000,9,USD,"MPU, leaderboard"`,
    ].join('\n');
    const previewed = await upload(key, sf.sourceId, csv, { contractId: 'static-avails-feed:v1' });
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    const data = previewed.body.data;
    expect(data.rejectedRows).toEqual([]);
    expect(data.summary.parsedAvailCount).toBe(written.length + 1);
    // The preview shows how each distinct value was read.
    const mapping = Object.fromEntries(
      (data.formatMapping as Array<{ written: string; formatIds: string[] }>).map((m) => [
        m.written,
        m.formatIds,
      ]),
    );
    for (const [format, id] of written) expect(mapping[format], format).toEqual([id]);
    expect(mapping['MPU, leaderboard']).toEqual(['display_300x250', 'display_728x90']);
    // Each accepted avail says what its cell held.
    const first = data.avails.find((a: { availId: string }) => a.availId === 'p0');
    expect(first).toMatchObject({
      name: 'Placement 0',
      impressionsCapacity: 10_000,
      cpm: 12.5,
      channel: 'display',
      formatsAsWritten: 'MPU',
    });

    const commit = await h.call('POST', `${sources}/${sf.sourceId}/feed/commit`, {
      key,
      body: { feedId: data.feedId, previewBaseline: data.previewBaseline },
    });
    expect(commit.status, commit.text).toBe(200);
    const { buyer } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const byName = new Map(
        found.products.map(
          (p: { name: string; channels?: string[]; format_ids: Array<{ id: string }> }) => [
            p.name,
            { channels: p.channels, formats: p.format_ids.map((f) => f.id) },
          ],
        ),
      );
      written.forEach(([, id], i) =>
        expect(byName.get(`Placement ${i}`), `Placement ${i}`).toMatchObject({ formats: [id] }),
      );
      expect(byName.get('Placement 7')).toMatchObject({ channels: ['olv'] });
      expect(byName.get('Placement 10')).toMatchObject({ channels: ['streaming_audio'] });
      expect(byName.get('Two sizes')).toMatchObject({
        formats: ['display_300x250', 'display_728x90'],
      });
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('accepts the help text’s own column mapping, targets written as people write them', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const csv = [
      'Line,Spot,Qty,From,Until,CPM,Ad unit',
      `l1,Morning drive,20000,${start},${end},8,300x250`,
    ].join('\n');
    // The example the upload form prints, verbatim, plus targets named by an alias.
    const mapping = {
      Placement: 'name',
      Imps: 'impressions',
      Line: 'Avail ID',
      Spot: 'Name',
      Qty: 'Imps',
      From: 'start date',
      Until: 'End',
      'Ad unit': 'Size',
    };
    const previewed = await upload(key, sf.sourceId, csv, {
      contractId: 'static-avails-feed:v1',
      columnMapping: JSON.stringify(mapping),
    });
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    expect(previewed.body.data.rejectedRows).toEqual([]);
    expect(previewed.body.data.avails[0]).toMatchObject({
      availId: 'l1',
      name: 'Morning drive',
      impressionsCapacity: 20_000,
      formatsAsWritten: '300x250',
    });
    // The mapping is saved on the source with its targets as fields, for the next file.
    const source = await h.call('GET', `${sources}/${sf.sourceId}/modular`, { key });
    expect(source.body.data.columnMapping).toMatchObject({
      Placement: 'name',
      Imps: 'impressionsCapacity',
      Qty: 'impressionsCapacity',
      From: 'startTime',
      'Ad unit': 'formats',
    });
    // The JSON preview takes the same mapping.
    const json = await h.call('POST', `${sources}/${sf.sourceId}/feed/preview`, {
      key,
      body: { contractId: 'static-avails-feed:v1', csvText: csv, columnMapping: mapping },
    });
    expect(json.status, json.text).toBe(200);
    expect(json.body.data.summary.parsedAvailCount).toBe(1);
  });

  it('refuses a mapping to a column it does not know, listing the columns it does', async () => {
    const sf = await modularStorefront(h);
    const refused = await upload(sf.seller.key, sf.sourceId, 'a,b\n1,2', {
      columnMapping: JSON.stringify({ Qty: 'volume of stuff' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('columnMapping.Qty');
    expect(refused.body.error.message).toMatch(/volume of stuff.*impressions.*cpm/s);
  });

  it('lists what a feed must hold: columns with their aliases, formats, channels and the CPM ceiling', async () => {
    const sf = await modularStorefront(h);
    const rules = await h.call('GET', `${sources}/${sf.sourceId}/feed/rules`, {
      key: sf.seller.key,
    });
    expect(rules.status, rules.text).toBe(200);
    const columns = rules.body.data.columns as Array<{
      field: string;
      aliases: string[];
      required: boolean;
    }>;
    const impressions = columns.find((c) => c.field === 'impressionsCapacity');
    expect(impressions).toMatchObject({ required: true });
    expect(impressions!.aliases).toEqual(expect.arrayContaining(['Imps', 'Impressions']));
    expect(columns.find((c) => c.field === 'name')!.aliases).toContain('Placement');
    expect(columns.find((c) => c.field === 'cpm')!.aliases).toEqual(
      expect.arrayContaining(['CPM', 'Rate', 'Price']),
    );
    expect(rules.body.data.channels).toContain('streaming_audio');
    expect(rules.body.data.maxCpm).toBe(1000);
    const mpu = rules.body.data.formats.find(
      (f: { formatId: string }) => f.formatId === 'display_300x250',
    );
    expect(mpu.writtenAs).toEqual(expect.arrayContaining(['MPU', '300x250']));
  });
});
