/**
 * A normalized avail (hosted: the avails-feed row), its fields and diagnostics. columns.ts says
 * which column holds which field; normalize.ts makes a raw row into one.
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
  /** ISO 3166-1 alpha-2 countries it sells in (the Market column); none: not said. */
  countries?: string[];
  /** Who it reaches, in the seller's words (the Audience column, else its collection's). */
  audience?: string | null;
  /** What it is about, in the seller's words (the Content column, else its collection's). */
  content?: string | null;
  sourceMetadata: Record<string, unknown>;
  /** The formats cell as the file wrote it ("MPU, leaderboard"), shown beside what it became. */
  formatsAsWritten?: string;
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
  'MISSING_COLUMN',
  'UNKNOWN_CHANNEL',
  'UNKNOWN_FORMAT',
  'UNKNOWN_PRICING_MODEL',
  'UNSUPPORTED_PRICING_MODEL',
  'CPM_ABOVE_CEILING',
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
  'pricingModel',
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
  'countries',
  'audience',
  'content',
] as const;
export type AvailField = (typeof availFields)[number];

/** A source's saved mapping: the file's column header → the avail field it holds. */
export type ColumnMapping = Record<string, AvailField>;

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
