import type { AvailRow } from '../../src/modules/modular-sources/buys/avails-store.js';

/*
 * A spreadsheet source's rows as a publisher uploads them (bench/relevance-mcp.ts): the static
 * avails feed's columns, with the Market, Audience and Content columns of issue 71 item 4 and
 * the format options as the hosted `formatOptions` JSON list.
 */

const header = [
  'avail_id',
  'name',
  'collection',
  'collection_name',
  'collection_description',
  'channel',
  'start_time',
  'end_time',
  'impressions',
  'cpm',
  'currency',
  'formats',
  'publisher_domain',
  'Market',
  'Audience',
  'Content',
];

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function csvOf(rows: readonly AvailRow[]): string {
  const lines = rows.map((r) =>
    [
      r.availId,
      r.name,
      r.collectionId ?? '',
      r.collectionName ?? '',
      r.collectionDescription ?? '',
      r.channel ?? '',
      r.startTime.toISOString(),
      r.endTime.toISOString(),
      String(r.impressionsCapacity),
      String(r.cpm),
      r.currency ?? '',
      JSON.stringify(r.formatOptions),
      r.publisherProperties[0]?.publisher_domain ?? '',
      r.countries.join(' '),
      r.audience ?? '',
      r.content ?? '',
    ]
      .map((v) => cell(String(v)))
      .join(','),
  );
  return [header.join(','), ...lines].join('\n');
}
