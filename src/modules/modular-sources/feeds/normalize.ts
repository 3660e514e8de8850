/**
 * The one place a raw feed row becomes an avail, and the rules a row must meet to sell: AdCP's
 * channels and pricing models, formats a buyer can resolve, a flight still to run, impressions
 * to sell, a CPM under the source's ceiling as the database will store it. Each problem is a
 * diagnostic naming the row, the column, the value and why; a row with an error is refused whole.
 */
import type { AvailDefaults, AvailField, NormalizedRow, PublisherProperty } from './avail.js';
import {
  clip,
  decimalText,
  numberOf,
  parseDate,
  parseJson,
  roundedDecimal,
  storableDate,
} from './rows/cells.js';
import { formatsOf } from './rows/formats-cell.js';
import { RowReader } from './rows/row-reader.js';
import { profileOf } from './rows/profile-cells.js';
import { propertiesOf } from './rows/properties-cell.js';
import {
  channelHint,
  channelOf,
  isCurrency,
  type MediaChannel,
  pricingModelOf,
  pricingModels,
  soldModel,
} from './rows/vocabulary.js';

/** What a row is checked against besides itself. */
export interface RowRules {
  now: Date;
  /** The highest CPM a row may carry (after rounding to the column's four decimals). */
  maxCpm: number;
  /** The source names its own formats agent: format ids it writes are that agent's. */
  ownFormatsAgent: boolean;
}

/** The cpm column is numeric(14, 4): ten digits before the point, four after. */
export const cpmScale = 4;
export const storableCpm = 9_999_999_999.9999;

/** A raw row (header → cell) as a normalized avail, or the reasons it is refused. */
export function normalizeRow(
  rowNumber: number,
  raw: Record<string, unknown>,
  columns: Map<string, AvailField | null>,
  defaults: AvailDefaults,
  rules: RowRules,
): NormalizedRow {
  const row = new RowReader(rowNumber, raw, columns);
  const availId = row.required('availId');
  const name = row.required('name', availId || undefined);
  const collectionId = row.text('collectionId') ?? defaults.collectionId ?? 'default';
  const collectionName = row.text('collectionName') ?? defaults.collectionName ?? collectionId;
  const collectionDescription =
    row.text('collectionDescription') ?? defaults.collectionDescription ?? null;
  const channel = channelIn(row, defaults);
  pricingModelIn(row);
  const flight = flightOf(row, defaults, rules.now);
  const capacity = capacityOf(row);
  const price = priceOf(row, defaults, rules.maxCpm);
  const formats = formatsOf(row, defaults, { channel, ownAgent: rules.ownFormatsAgent });
  const publisherProperties: PublisherProperty[] = propertiesOf(row, defaults);
  const targeting = targetingOf(row);
  const profile = profileOf(row);

  if (row.failed || !flight || !capacity) return { ok: false, diagnostics: row.problems };
  return {
    ok: true,
    warnings: row.problems,
    avail: {
      collectionId,
      collectionName,
      collectionDescription,
      channel,
      formatOptions: formats.options,
      publisherProperties,
      availId,
      name,
      startTime: flight.startTime,
      endTime: flight.endTime,
      impressionsCapacity: capacity.capacity,
      upstreamBookedImpressions: capacity.upstreamBooked,
      cpm: price.cpm,
      currency: price.currency,
      targeting,
      ...profile,
      sourceMetadata: row.metadata,
      ...(formats.written !== undefined && { formatsAsWritten: formats.written }),
    },
  };
}

/** An AdCP channel, from its code or a plain name ("Online video" → olv); none is allowed. */
function channelIn(row: RowReader, defaults: AvailDefaults): MediaChannel | null {
  const written = row.text('channel') ?? defaults.channel;
  if (written === undefined || written === '') return null;
  const channel = channelOf(written);
  if (!channel) {
    row.problem(
      'UNKNOWN_CHANNEL',
      'channel',
      `"${clip(written, 60)}" is not an AdCP channel. ${channelHint}`,
    );
    return null;
  }
  return channel;
}

/** An optional pricing model: an AdCP one, and the one this source sells by. */
function pricingModelIn(row: RowReader): void {
  const written = row.text('pricingModel');
  if (written === undefined) return;
  const model = pricingModelOf(written);
  if (!model) {
    row.problem(
      'UNKNOWN_PRICING_MODEL',
      'pricingModel',
      `"${clip(written, 60)}" is not an AdCP pricing model: use one of ${pricingModels.join(', ')}`,
    );
  } else if (model !== soldModel) {
    row.problem(
      'UNSUPPORTED_PRICING_MODEL',
      'pricingModel',
      `A modular source sells by ${soldModel} (impressions at a fixed CPM), not ${model}: price the avail as a CPM`,
    );
  }
}

function flightOf(
  row: RowReader,
  defaults: AvailDefaults,
  now: Date,
): { startTime: string; endTime: string } | undefined {
  const start = dateIn(row, 'startTime', defaults.startTime);
  const end = dateIn(row, 'endTime', defaults.endTime);
  if (!start || !end) return undefined;
  if (end <= start) {
    row.problem(
      'INVALID_FLIGHT',
      'endTime',
      `endTime (${end.toISOString()}) must be after startTime (${start.toISOString()})`,
    );
    return undefined;
  }
  if (end <= now) {
    row.problem(
      'INVALID_FLIGHT',
      'endTime',
      `The flight ended on ${end.toISOString().slice(0, 10)}: nothing is left to sell`,
    );
    return undefined;
  }
  return { startTime: start.toISOString(), endTime: end.toISOString() };
}

function dateIn(
  row: RowReader,
  field: 'startTime' | 'endTime',
  fallback: string | undefined,
): Date | undefined {
  const text = row.text(field) ?? fallback;
  if (text === undefined || text === '') {
    row.problem('REQUIRED_FIELD_MISSING', field, `${field} is required`);
    return undefined;
  }
  const cell = row.cell(field);
  const date =
    cell instanceof Date ? dateOfCell(cell, field) : parseDate(text, field === 'endTime');
  if (!date || !storableDate(date)) {
    row.problem(
      'INVALID_DATE_TIME',
      field,
      `${field} must be a date or an ISO-8601 date-time between 1970 and 9999`,
    );
    return undefined;
  }
  return date;
}

/**
 * A spreadsheet's date cell: a whole day (midnight, as an XLSX date-only cell reads) is that day
 * as a date-only text cell is (parseDate: an end ends at the end of that day), so a flight ends
 * alike whatever the file's format; a cell with a time of day is that instant.
 */
function dateOfCell(cell: Date, field: 'startTime' | 'endTime'): Date | undefined {
  const iso = Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? parseDate(iso.slice(0, 10), field === 'endTime') : cell;
}

/** Net capacity above 0; a gross figure is read as capacity with a warning. */
function capacityOf(row: RowReader): { capacity: number; upstreamBooked: number } | undefined {
  let capacity = countIn(row, 'impressionsCapacity');
  const gross = countIn(row, 'grossImpressions');
  const upstreamBooked = countIn(row, 'upstreamBookedImpressions') ?? 0;
  if (capacity === undefined && gross !== undefined) {
    // A gross figure with what is already booked upstream: net is what is left to sell.
    capacity = gross;
    const subtracted = row.has('upstreamBookedImpressions');
    row.problem(
      subtracted ? 'GROSS_CAPACITY_NORMALIZED' : 'GROSS_CAPACITY_ASSUMED_NET',
      'grossImpressions',
      subtracted
        ? 'Gross impressions read as capacity; upstream bookings are subtracted from it'
        : 'Gross impressions read as capacity with nothing booked upstream',
      'WARNING',
    );
  }
  if (capacity === undefined) {
    if (!row.has('impressionsCapacity') && !row.has('grossImpressions')) {
      row.problem(
        'REQUIRED_FIELD_MISSING',
        'impressionsCapacity',
        'impressionsCapacity is required',
      );
    }
    return undefined;
  }
  const field = row.has('impressionsCapacity') ? 'impressionsCapacity' : 'grossImpressions';
  if (capacity <= 0) {
    row.problem(
      'INVALID_NUMBER',
      field,
      `${field} must be greater than 0: there is nothing to sell`,
    );
    return undefined;
  }
  if (upstreamBooked > capacity) {
    row.problem(
      'INVALID_NUMBER',
      'upstreamBookedImpressions',
      `upstreamBookedImpressions (${upstreamBooked}) exceeds the capacity (${capacity})`,
    );
  }
  return { capacity, upstreamBooked };
}

function countIn(row: RowReader, field: AvailField): number | undefined {
  if (!row.has(field)) return undefined;
  const value = numberOf(row.cell(field));
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    row.problem('INVALID_NUMBER', field, `${field} must be a whole number ≥ 0`);
    return undefined;
  }
  return value;
}

/**
 * The CPM as the column stores it (rounded to four decimals, as PostgreSQL rounds) and under the
 * ceiling: a value checked before rounding could pass and then fail the commit.
 */
function priceOf(
  row: RowReader,
  defaults: AvailDefaults,
  maxCpm: number,
): { cpm: number | null; currency: string | null } {
  let cpm: number | null = null;
  if (!row.has('cpm')) {
    row.problem(
      'REQUIRED_FIELD_MISSING',
      'cpm',
      'cpm is required: an avail without a price cannot sell',
    );
  } else {
    const written = decimalText(row.cell('cpm'));
    const rounded = written === undefined ? undefined : roundedDecimal(written, cpmScale);
    const ceiling = Math.min(maxCpm, storableCpm);
    if (rounded === undefined || rounded.startsWith('-')) {
      row.problem('INVALID_NUMBER', 'cpm', 'cpm must be a number ≥ 0 (e.g. 12.50)');
    } else if (Number(rounded) > ceiling) {
      row.problem(
        'CPM_ABOVE_CEILING',
        'cpm',
        `cpm ${rounded} (rounded to ${cpmScale} decimals) is above this source's ceiling of ${ceiling.toLocaleString('en-US', { maximumFractionDigits: cpmScale })}: correct the price, or raise maxCpm on the avails-feed module`,
      );
    } else {
      cpm = Number(rounded);
    }
  }
  let currency = (row.text('currency') ?? defaults.currency ?? null)?.toUpperCase() ?? null;
  if (currency !== null && !isCurrency(currency)) {
    row.problem('INVALID_CURRENCY', 'currency', 'currency must be an ISO-4217 code such as USD');
    currency = null;
  }
  if (cpm !== null && currency === null && !row.has('currency')) currency = 'USD';
  return { cpm, currency };
}

function targetingOf(row: RowReader): Record<string, unknown> {
  if (!row.has('targeting')) return {};
  const value = row.cell('targeting');
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return parsed as Record<string, unknown>;
  }
  row.problem('INVALID_VALUE', 'targeting', 'targeting must be a JSON object');
  return {};
}
