/**
 * A normalized avail (hosted: the avails-feed row), its fields and diagnostics, and how a file's
 * columns map to the fields (the source's saved mapping, then well-known names). normalize.ts
 * makes a raw row into one.
 */
import type { formatKinds } from '../../../platform/formats.js';

export type FormatKind = (typeof formatKinds)[number];

export type FormatOption = {
  format_option_id?: string;
  publisher_domain?: string;
  format_kind: FormatKind;
  params: Record<string, unknown>;
};

export type PublisherProperty =
  | { publisher_domain: string; selection_type: 'all' }
  | { publisher_domain: string; selection_type: 'by_id'; property_ids: string[] }
  | { publisher_domain: string; selection_type: 'by_tag'; property_tags: string[] };

export type AvailRecord = {
  collectionId: string;
  collectionName: string;
  collectionDescription: string | null;
  channel: string | null;
  formatOptions: FormatOption[];
  publisherProperties: PublisherProperty[];
  availId: string;
  name: string;
  startTime: string;
  endTime: string;
  impressionsCapacity: number;
  upstreamBookedImpressions: number;
  cpm: number | null;
  currency: string | null;
  targeting: Record<string, unknown>;
  sourceMetadata: Record<string, unknown>;
};

export const diagnosticCodes = [
  'REQUIRED_FIELD_MISSING',
  'INVALID_DATE_TIME',
  'INVALID_NUMBER',
  'INVALID_CURRENCY',
  'INVALID_CANONICAL_FORMATS',
  'INVALID_PUBLISHER_PROPERTIES',
  'GROSS_CAPACITY_NORMALIZED',
  'GROSS_CAPACITY_ASSUMED_NET',
  'DUPLICATE_AVAIL_ID',
  'INVALID_FLIGHT',
  'INVALID_VALUE',
] as const;
export type DiagnosticCode = (typeof diagnosticCodes)[number];

/** One problem with one row: where (row, column), what (value) and why (code, message). */
export type RowDiagnostic = {
  rowNumber: number;
  field?: string;
  /** The column of the file the field was read from, when it came from one. */
  column?: string;
  value?: string;
  code: DiagnosticCode;
  severity: 'ERROR' | 'WARNING';
  message: string;
};

/** The avail fields a column may be mapped to. */
export const availFields = [
  'availId',
  'name',
  'collectionId',
  'collectionName',
  'collectionDescription',
  'channel',
  'startTime',
  'endTime',
  'impressionsCapacity',
  'grossImpressions',
  'upstreamBookedImpressions',
  'cpm',
  'currency',
  'formats',
  'publisherDomain',
  'propertyTags',
  'propertyIds',
  'publisherProperties',
  'targeting',
] as const;
export type AvailField = (typeof availFields)[number];

/** A source's saved mapping: the file's column header → the avail field it holds. */
export type ColumnMapping = Record<string, AvailField>;

/** Well-known headers, compared lowercased with everything but letters and digits removed. */
const knownHeaders: Record<string, AvailField> = {
  availid: 'availId',
  id: 'availId',
  name: 'name',
  availname: 'name',
  title: 'name',
  collectionid: 'collectionId',
  collection: 'collectionId',
  collectionname: 'collectionName',
  collectiondescription: 'collectionDescription',
  channel: 'channel',
  starttime: 'startTime',
  start: 'startTime',
  startdate: 'startTime',
  flightstart: 'startTime',
  endtime: 'endTime',
  end: 'endTime',
  enddate: 'endTime',
  flightend: 'endTime',
  impressionscapacity: 'impressionsCapacity',
  impressions: 'impressionsCapacity',
  capacity: 'impressionsCapacity',
  netimpressions: 'impressionsCapacity',
  grossimpressions: 'grossImpressions',
  upstreambookedimpressions: 'upstreamBookedImpressions',
  bookedimpressions: 'upstreamBookedImpressions',
  upstreambooked: 'upstreamBookedImpressions',
  booked: 'upstreamBookedImpressions',
  cpm: 'cpm',
  rate: 'cpm',
  currency: 'currency',
  formats: 'formats',
  format: 'formats',
  formatoptions: 'formats',
  publisherdomain: 'publisherDomain',
  domain: 'publisherDomain',
  propertytags: 'propertyTags',
  propertyids: 'propertyIds',
  publisherproperties: 'publisherProperties',
  targeting: 'targeting',
};

const headerKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Which field each header of a file holds (the saved mapping first); unmapped headers are metadata. */
export function resolveColumns(
  headers: string[],
  mapping: ColumnMapping,
): Map<string, AvailField | null> {
  const byKey = new Map(Object.entries(mapping).map(([h, f]) => [headerKey(h), f]));
  return new Map(
    headers.map((h) => [h, byKey.get(headerKey(h)) ?? knownHeaders[headerKey(h)] ?? null]),
  );
}

/** Defaults applied to rows that leave a field empty (hosted: the avails-feed default* fields). */
export interface AvailDefaults {
  collectionId?: string | undefined;
  collectionName?: string | undefined;
  collectionDescription?: string | undefined;
  channel?: string | undefined;
  formatOptions?: FormatOption[] | undefined;
  publisherProperties?: PublisherProperty[] | undefined;
  startTime?: string | undefined;
  endTime?: string | undefined;
  currency?: string | undefined;
  /** The storefront's publisher domain: publisher properties when a row names none. */
  publisherDomain?: string | null | undefined;
}

export type NormalizedRow =
  | { ok: true; avail: AvailRecord; warnings: RowDiagnostic[] }
  | { ok: false; diagnostics: RowDiagnostic[] };
