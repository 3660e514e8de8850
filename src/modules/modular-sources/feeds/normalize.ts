/**
 * The one place a raw feed row becomes an avail: each problem is a diagnostic naming the row, the
 * column, the value and why. A row with an error is refused whole.
 */
import { formatKinds } from '../../../platform/formats.js';
import {
  type FormatOption,
  type PublisherProperty,
  type RowDiagnostic,
  type DiagnosticCode,
  type AvailField,
  type AvailDefaults,
  type NormalizedRow,
  type FormatKind,
  resolveColumns,
} from './avail.js';

const maxText = 255;
const currencyPattern = /^[A-Z]{3}$/;
const domainPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** A raw row (header → cell) as a normalized avail, or the reasons it is refused. */
export function normalizeRow(
  rowNumber: number,
  raw: Record<string, unknown>,
  columns: Map<string, AvailField | null>,
  defaults: AvailDefaults,
): NormalizedRow {
  const problems: RowDiagnostic[] = [];
  const fields = new Map<AvailField, { column: string; value: unknown }>();
  const metadata: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(raw)) {
    const field = columns.has(column)
      ? (columns.get(column) ?? null)
      : (resolveColumns([column], {}).get(column) ?? null);
    if (isBlank(value)) continue;
    if (field) fields.set(field, { column, value });
    else metadata[column] = value;
  }
  const problem = (
    code: DiagnosticCode,
    field: AvailField | string,
    message: string,
    severity: 'ERROR' | 'WARNING' = 'ERROR',
  ) => {
    const cell = fields.get(field as AvailField);
    problems.push({
      rowNumber,
      field,
      ...(cell && { column: cell.column, value: shown(cell.value) }),
      code,
      severity,
      message,
    });
  };
  const text = (field: AvailField): string | undefined => {
    const cell = fields.get(field);
    if (!cell) return undefined;
    const value = cellText(cell.value);
    if (value.length > maxText && field !== 'collectionDescription' && field !== 'targeting') {
      problem('INVALID_VALUE', field, `${field} is longer than ${maxText} characters`);
    }
    return value;
  };
  const required = (field: AvailField, fallback?: string): string => {
    const value = text(field) ?? fallback;
    if (value === undefined || value === '') {
      problem('REQUIRED_FIELD_MISSING', field, `${field} is required`);
      return '';
    }
    return value;
  };

  const availId = required('availId');
  const name = required('name', availId || undefined);
  const collectionId = text('collectionId') ?? defaults.collectionId ?? 'default';
  const collectionName = text('collectionName') ?? defaults.collectionName ?? collectionId;
  const startTime = dateOf('startTime', text('startTime') ?? defaults.startTime);
  const endTime = dateOf('endTime', text('endTime') ?? defaults.endTime);
  if (startTime && endTime && Date.parse(endTime) <= Date.parse(startTime)) {
    problem('INVALID_FLIGHT', 'endTime', 'endTime must be after startTime');
  }

  let capacity = countOf('impressionsCapacity');
  const gross = countOf('grossImpressions');
  const upstreamBooked = countOf('upstreamBookedImpressions') ?? 0;
  if (capacity === undefined && gross !== undefined) {
    // A gross figure with what is already booked upstream: net is what is left to sell.
    capacity = gross;
    problem(
      fields.has('upstreamBookedImpressions')
        ? 'GROSS_CAPACITY_NORMALIZED'
        : 'GROSS_CAPACITY_ASSUMED_NET',
      'grossImpressions',
      fields.has('upstreamBookedImpressions')
        ? 'Gross impressions read as capacity; upstream bookings are subtracted from it'
        : 'Gross impressions read as capacity with nothing booked upstream',
      'WARNING',
    );
  }
  if (capacity === undefined && !fields.has('impressionsCapacity')) {
    problem('REQUIRED_FIELD_MISSING', 'impressionsCapacity', 'impressionsCapacity is required');
  }
  if (capacity !== undefined && upstreamBooked > capacity) {
    problem(
      'INVALID_NUMBER',
      'upstreamBookedImpressions',
      `upstreamBookedImpressions (${upstreamBooked}) exceeds the capacity (${capacity})`,
    );
  }

  let cpm: number | null = null;
  if (fields.has('cpm')) {
    const value = numberOf(cellText(fields.get('cpm')!.value));
    if (value === undefined || value < 0 || value >= maxCpm)
      problem('INVALID_NUMBER', 'cpm', `cpm must be a number ≥ 0 and below ${maxCpm}`);
    else cpm = value;
  }
  let currency = (text('currency') ?? defaults.currency ?? null)?.toUpperCase() ?? null;
  if (currency !== null && !currencyPattern.test(currency)) {
    problem('INVALID_CURRENCY', 'currency', 'currency must be an ISO-4217 code such as USD');
    currency = null;
  }
  if (cpm !== null && currency === null && !fields.has('currency')) currency = 'USD';

  const formatOptions = formatsOf();
  const publisherProperties = propertiesOf();
  let targeting: Record<string, unknown> = {};
  if (fields.has('targeting')) {
    const value = fields.get('targeting')!.value;
    const parsed = typeof value === 'string' ? parseJson(value) : value;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      targeting = parsed as Record<string, unknown>;
    } else {
      problem('INVALID_VALUE', 'targeting', 'targeting must be a JSON object');
    }
  }

  const errors = problems.filter((p) => p.severity === 'ERROR');
  if (errors.length > 0) return { ok: false, diagnostics: problems };
  return {
    ok: true,
    warnings: problems,
    avail: {
      collectionId,
      collectionName,
      collectionDescription:
        text('collectionDescription') ?? defaults.collectionDescription ?? null,
      channel: (text('channel') ?? defaults.channel ?? null)?.toLowerCase() ?? null,
      formatOptions,
      publisherProperties,
      availId,
      name,
      startTime: startTime!,
      endTime: endTime!,
      impressionsCapacity: capacity!,
      upstreamBookedImpressions: upstreamBooked,
      cpm,
      currency,
      targeting,
      sourceMetadata: metadata,
    },
  };

  function dateOf(field: 'startTime' | 'endTime', value: string | undefined): string | undefined {
    if (value === undefined || value === '') {
      problem('REQUIRED_FIELD_MISSING', field, `${field} is required`);
      return undefined;
    }
    const cell = fields.get(field)?.value;
    const date = cell instanceof Date ? cell : parseDate(value, field === 'endTime');
    if (!date || !storableDate(date)) {
      problem(
        'INVALID_DATE_TIME',
        field,
        `${field} must be a date or an ISO-8601 date-time between 1970 and 9999`,
      );
      return undefined;
    }
    return date.toISOString();
  }

  function countOf(field: AvailField): number | undefined {
    const cell = fields.get(field);
    if (!cell) return undefined;
    const value = numberOf(cellText(cell.value));
    if (
      value === undefined ||
      !Number.isInteger(value) ||
      value < 0 ||
      !Number.isSafeInteger(value)
    ) {
      problem('INVALID_NUMBER', field, `${field} must be a whole number ≥ 0`);
      return undefined;
    }
    return value;
  }

  function formatsOf(): FormatOption[] {
    const cell = fields.get('formats');
    if (!cell) {
      if (defaults.formatOptions?.length) return defaults.formatOptions;
      problem('REQUIRED_FIELD_MISSING', 'formats', 'formats is required (e.g. display_300x250)');
      return [];
    }
    const value = typeof cell.value === 'string' ? cell.value.trim() : cell.value;
    if (Array.isArray(value) || (typeof value === 'string' && value.startsWith('['))) {
      const list = (typeof value === 'string' ? parseJson(value) : value) as unknown;
      if (Array.isArray(list) && list.every(isFormatOption)) return list as FormatOption[];
      problem(
        'INVALID_CANONICAL_FORMATS',
        'formats',
        'formats must be format ids or format options',
      );
      return [];
    }
    const ids = cellText(value)
      .split(/[|,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(id));
    if (ids.length === 0 || bad !== undefined) {
      problem(
        'INVALID_CANONICAL_FORMATS',
        'formats',
        bad ? `"${bad}" is not a format id` : 'formats lists no format id',
      );
      return [];
    }
    return ids.map(formatOptionOf);
  }

  function propertiesOf(): PublisherProperty[] {
    const listed = fields.get('publisherProperties');
    if (listed) {
      const value = typeof listed.value === 'string' ? parseJson(listed.value) : listed.value;
      if (Array.isArray(value) && value.length > 0 && value.every(isPublisherProperty)) {
        return value as PublisherProperty[];
      }
      problem(
        'INVALID_PUBLISHER_PROPERTIES',
        'publisherProperties',
        'publisherProperties must list {publisher_domain, selection_type} entries',
      );
      return [];
    }
    const domain = (text('publisherDomain') ?? '').toLowerCase();
    const tags = listOf(text('propertyTags'));
    const ids = listOf(text('propertyIds'));
    if (domain === '') {
      if (defaults.publisherProperties?.length) return defaults.publisherProperties;
      if (defaults.publisherDomain) return [whole(defaults.publisherDomain, tags, ids)];
      problem(
        'INVALID_PUBLISHER_PROPERTIES',
        'publisherDomain',
        'publisherDomain is required (the storefront has no publisher domain to default to)',
      );
      return [];
    }
    if (!domainPattern.test(domain)) {
      problem(
        'INVALID_PUBLISHER_PROPERTIES',
        'publisherDomain',
        'publisherDomain must be a domain',
      );
      return [];
    }
    return [whole(domain, tags, ids)];
  }
}

function whole(domain: string, tags: string[], ids: string[]): PublisherProperty {
  if (ids.length > 0)
    return { publisher_domain: domain, selection_type: 'by_id', property_ids: ids };
  if (tags.length > 0)
    return { publisher_domain: domain, selection_type: 'by_tag', property_tags: tags };
  return { publisher_domain: domain, selection_type: 'all' };
}

/** A format id written in a sheet (display_300x250, video_30s …) as a format option. */
export function formatOptionOf(id: string): FormatOption {
  const lower = id.toLowerCase();
  const size = /(\d{2,4})x(\d{2,4})/.exec(lower);
  const seconds = /(\d{1,3})s\b/.exec(lower);
  const kind: FormatKind = /^(display|banner|image)/.test(lower)
    ? 'image'
    : /^html/.test(lower)
      ? 'html5'
      : /^(ctv|vast)/.test(lower)
        ? 'video_vast'
        : /^(video|olv|preroll)/.test(lower)
          ? 'video_hosted'
          : /^(audio|podcast)/.test(lower)
            ? 'audio_hosted'
            : /^native/.test(lower)
              ? 'native_in_feed'
              : 'custom';
  return {
    format_option_id: id,
    format_kind: kind,
    params: {
      ...(size && { width: Number(size[1]), height: Number(size[2]) }),
      ...(seconds && { duration_seconds: Number(seconds[1]) }),
    },
  };
}

function isPublisherProperty(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  const domain = p['publisher_domain'];
  if (typeof domain !== 'string' || !domainPattern.test(domain)) return false;
  const listOk = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  return (
    p['selection_type'] === 'all' ||
    (p['selection_type'] === 'by_id' && listOk(p['property_ids'])) ||
    (p['selection_type'] === 'by_tag' && listOk(p['property_tags']))
  );
}

function isFormatOption(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const option = value as Record<string, unknown>;
  return (
    typeof option['format_kind'] === 'string' &&
    (formatKinds as readonly string[]).includes(option['format_kind']) &&
    (option['params'] === undefined || typeof option['params'] === 'object')
  );
}

const isBlank = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** A cell as text: spreadsheet cells may be numbers, dates, rich text or formula results. */
export function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const cell = value as { result?: unknown; text?: unknown; richText?: Array<{ text: string }> };
    if (cell.result !== undefined) return cellText(cell.result);
    if (typeof cell.text === 'string') return cell.text.trim();
    if (Array.isArray(cell.richText))
      return cell.richText
        .map((r) => r.text)
        .join('')
        .trim();
    return JSON.stringify(value);
  }
  return '';
}

const shown = (value: unknown) => cellText(value).slice(0, 200);

function numberOf(text: string): number | undefined {
  const cleaned = text.replace(/[,_\s]/g, '').replace(/^\$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** The column's numeric(14, 4) holds less than 10^10: a larger CPM is the row's fault, not a 500. */
const maxCpm = 10_000_000_000;

/**
 * A date PostgreSQL stores as written: it has no year 0000 and JavaScript writes years past 9999
 * with a sign, so either would fail the commit (a 500); no avail runs before 1970 either.
 */
function storableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1970 && year <= 9999;
}

/** A date (YYYY-MM-DD, start or end of that UTC day) or an ISO-8601 date-time. */
function parseDate(text: string, endOfDay: boolean): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`);
    return date.toISOString().startsWith(text) ? date : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[|,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
