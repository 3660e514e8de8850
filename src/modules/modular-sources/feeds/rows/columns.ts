/**
 * The columns of an avails feed: which avail field a header holds, as people write headers
 * ("Imps", "Start date", "Placement"), compared without case, spaces or punctuation; which fields
 * a sellable row needs; and the mapping a source saves, whose targets may be written the same way.
 */
import { availFields, type AvailDefaults, type AvailField, type ColumnMapping } from '../avail.js';

/** Each field, the headers read as it (the first is the canonical one) and what it holds. */
export const columnCatalogue: Record<AvailField, { aliases: string[]; holds: string }> = {
  availId: {
    aliases: ['avail_id', 'ID', 'Avail ID', 'Placement ID', 'Line ID', 'Line item ID', 'SKU'],
    holds: 'A stable id per avail: the same id in the next file updates it',
  },
  name: {
    aliases: [
      'name',
      'Placement',
      'Placement name',
      'Avail name',
      'Title',
      'Product',
      'Product name',
    ],
    holds: 'What buyers see (default: the avail id)',
  },
  collectionId: {
    aliases: ['collection', 'collection_id', 'Package', 'Section'],
    holds: 'Groups avails (default: "default")',
  },
  collectionName: { aliases: ['collection_name', 'Package name', 'Section name'], holds: '' },
  collectionDescription: { aliases: ['collection_description', 'Description'], holds: '' },
  channel: {
    aliases: ['channel', 'Media', 'Media type', 'Medium'],
    holds: 'An AdCP channel (display, olv, ctv, streaming_audio…) or its plain name',
  },
  pricingModel: {
    aliases: ['pricing_model', 'Pricing', 'Price type', 'Rate type', 'Buy type'],
    holds: 'An AdCP pricing model; a modular source sells by CPM (default: cpm)',
  },
  startTime: {
    aliases: ['start_time', 'Start', 'Start date', 'Flight start', 'From'],
    holds: 'The flight start: a date (YYYY-MM-DD) or an ISO-8601 date-time',
  },
  endTime: {
    aliases: ['end_time', 'End', 'End date', 'Flight end', 'To', 'Until'],
    holds: 'The flight end, after the start and not yet past',
  },
  impressionsCapacity: {
    aliases: [
      'impressions',
      'Imps',
      'Impressions',
      'Impressions capacity',
      'Net impressions',
      'Capacity',
      'Available impressions',
      'Avails',
      'Volume',
    ],
    holds: 'Impressions to sell, a whole number above 0',
  },
  grossImpressions: { aliases: ['gross_impressions', 'Gross imps'], holds: '' },
  upstreamBookedImpressions: {
    aliases: ['upstream_booked', 'Booked', 'Booked impressions', 'Sold'],
    holds: 'Impressions already sold elsewhere (default 0)',
  },
  cpm: {
    aliases: ['cpm', 'CPM', 'Rate', 'Price', 'CPM rate', 'Net CPM', 'Rate card'],
    holds: "The price per thousand impressions, at most the source's maxCpm",
  },
  currency: {
    aliases: ['currency', 'Cur', 'CCY'],
    holds: 'An ISO-4217 code (default: USD)',
  },
  formats: {
    aliases: [
      'formats',
      'Format',
      'Formats',
      'Size',
      'Sizes',
      'Ad size',
      'Ad format',
      'Creative size',
      'formatOptions',
    ],
    holds:
      'Format names or sizes (MPU, 728x90, "15s video"…) or AdCP format ids, several split by , ; or |; or a JSON list of format options (hosted: formatOptions)',
  },
  publisherDomain: {
    aliases: ['publisher_domain', 'Domain', 'Website'],
    holds: "The publisher's domain (default: the storefront's)",
  },
  propertyTags: { aliases: ['property_tags'], holds: '' },
  propertyIds: { aliases: ['property_ids'], holds: '' },
  publisherProperties: { aliases: ['publisher_properties'], holds: '' },
  targeting: { aliases: ['targeting'], holds: 'A JSON object' },
  countries: {
    aliases: ['countries', 'Country', 'Market', 'Markets', 'Geo', 'Territory', 'Territories'],
    holds:
      'The countries it sells in: ISO codes (GB, DE) or names (United Kingdom, Deutschland), several split by , or ;, or a region (DACH, Nordics); empty or Global: not said',
  },
  audience: {
    aliases: ['audience', 'Target audience', 'Audiences', 'Demographic', 'Demo'],
    holds:
      'Who it reaches, in your words ("motoring enthusiasts, men 35-54"); rows of its collection that leave it empty take it',
  },
  content: {
    aliases: ['content', 'Category', 'Content category', 'Genre', 'Vertical', 'Topic'],
    holds:
      'What it is about, in your words ("car reviews, road tests"); rows of its collection that leave it empty take it',
  },
};

/** A header or target as compared: lowercase letters and digits only. */
export const headerKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

const byKey = new Map<string, AvailField>();
for (const field of availFields) {
  byKey.set(headerKey(field), field);
  for (const alias of columnCatalogue[field].aliases) byKey.set(headerKey(alias), field);
}

/** The field a header or a mapping's target names (a field's name or any of its aliases). */
export const fieldNamed = (name: string): AvailField | undefined => byKey.get(headerKey(name));

/** Which field each header of a file holds (the saved mapping first); unmapped headers are metadata. */
export function resolveColumns(
  headers: string[],
  mapping: ColumnMapping,
): Map<string, AvailField | null> {
  const saved = new Map(Object.entries(mapping).map(([h, f]) => [headerKey(h), f]));
  return new Map(headers.map((h) => [h, saved.get(headerKey(h)) ?? fieldNamed(h) ?? null]));
}

/** A mapping as written (targets by name or alias) as fields, or the first target it cannot read. */
export function mappingOf(
  written: Record<string, string>,
): { mapping: ColumnMapping } | { unknown: { column: string; target: string } } {
  const mapping: ColumnMapping = {};
  for (const [column, target] of Object.entries(written)) {
    const field = fieldNamed(target);
    if (!field) return { unknown: { column, target } };
    mapping[column] = field;
  }
  return { mapping };
}

/** What the refusal of an unknown mapping target says. */
export const targetsHint = `Map a column to one of: ${availFields.join(', ')} (or a header they are known by, such as Imps, Placement, Start date, Rate or Size)`;

/**
 * The fields a file's header must hold for any row to sell, unless a default covers them; a
 * missing one is reported once for the file, not on every row.
 */
export function missingColumns(fields: Set<AvailField>, defaults: AvailDefaults): AvailField[] {
  const lacking: Array<[AvailField, boolean]> = [
    ['availId', !fields.has('availId')],
    ['startTime', !fields.has('startTime') && !defaults.startTime],
    ['endTime', !fields.has('endTime') && !defaults.endTime],
    ['impressionsCapacity', !fields.has('impressionsCapacity') && !fields.has('grossImpressions')],
    ['cpm', !fields.has('cpm')],
    ['formats', !fields.has('formats') && !defaults.formatOptions?.length],
    [
      'publisherDomain',
      !fields.has('publisherDomain') &&
        !fields.has('publisherProperties') &&
        !defaults.publisherProperties?.length &&
        !defaults.publisherDomain,
    ],
  ];
  return lacking.filter(([, missing]) => missing).map(([field]) => field);
}

/** The fields a sellable row needs (whatever covers them), for the listing of the columns. */
export const requiredFields: ReadonlySet<AvailField> = new Set([
  'availId',
  'startTime',
  'endTime',
  'impressionsCapacity',
  'cpm',
  'formats',
]);

/** The message of a missing column: the headers it is known by. */
export const missingColumnMessage = (field: AvailField) =>
  `The file has no ${columnCatalogue[field].aliases[1] ?? field} column (${field}): no row can sell without it. Name a column ${columnCatalogue[
    field
  ].aliases
    .slice(1)
    .concat(columnCatalogue[field].aliases[0]!)
    .map((a) => `"${a}"`)
    .join(', ')}, or map yours to ${field} with columnMapping`;
