import { parse as parseCsv } from 'csv-parse/sync';
import { invalid } from '../../../platform/errors.js';
import { calendarDaySchema } from '../../../platform/formats.js';
import type { BuyRow } from '../buys/store.js';
import {
  isViewabilityStandard,
  notMeasured,
  viewabilityStandards,
  type RowViewability,
} from '../../../sources/viewability.js';

/** A report may hold at most this many rows (a day per package over a long flight). */
export const maxReportRows = 20_000;
/** A day's figure at most this (spend is numeric(16, 4): a larger one would fail the write, a 500). */
const maxFigure = 1_000_000_000_000;

/** One row of a delivery report: what a package delivered on one UTC day. */
export interface ReportRow {
  /** The row's index in the report (0-based), to name it in a refusal. */
  index: number;
  day: string;
  packageId: string;
  impressions: number;
  clicks: number;
  spend: number;
  /** What the seller measured of the day's viewability (all null when it did not). */
  viewability: RowViewability;
}

/** A refused row's field and why, with the figures a person needs to fix it. */
export interface RowIssue {
  field: string;
  message: string;
  requested?: unknown;
  allowed?: unknown;
}

/**
 * The report's rows as sent: `rows` as a list, or `csvText` with a header line. Neither, none, or
 * more than maxReportRows is a 400 naming `${prefix}rows`.
 */
export function rawRowsOf(
  input: { rows?: unknown; csvText?: unknown },
  prefix: string,
): Record<string, unknown>[] {
  let rows: unknown = input.rows;
  if (rows === undefined && typeof input.csvText === 'string') {
    try {
      rows = parseCsv(input.csvText, {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
      });
    } catch (error) {
      throw invalid(
        `${prefix}csvText is not CSV: ${error instanceof Error ? error.message : ''}`,
        `${prefix}csvText`,
      );
    }
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw invalid(
      `A delivery report needs ${prefix}rows (or ${prefix}csvText) with at least one row`,
      `${prefix}rows`,
    );
  }
  if (rows.length > maxReportRows) {
    throw invalid(`A delivery report may have at most ${maxReportRows} rows`, `${prefix}rows`);
  }
  return rows.map((row) =>
    row && typeof row === 'object' ? (row as Record<string, unknown>) : {},
  );
}

/**
 * One row read: a calendar day, a package of the buy (a buy's only package when none is named),
 * whole impressions, clicks and spend ≥ 0. Answers the row, or the issues it has (each named by
 * its field) so a refusal lists every bad row at once.
 */
export function readRow(
  raw: Record<string, unknown>,
  index: number,
  buy: BuyRow,
  prefix: string,
): ReportRow | RowIssue[] {
  const n = index + 1;
  const field = (name: string) => `${prefix}rows[${index}].${name}`;
  const issues: RowIssue[] = [];
  const day = String(raw['date'] ?? raw['day'] ?? '').slice(0, 10);
  if (!calendarDaySchema.safeParse(day).success) {
    issues.push({ field: field('date'), message: `Report row ${n}: date must be YYYY-MM-DD` });
  }
  const number = (name: string, required: boolean, whole: boolean) => {
    const value = raw[name];
    if (value === undefined || value === '') {
      if (required)
        issues.push({ field: field(name), message: `Report row ${n}: ${name} is required` });
      return 0;
    }
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0 || parsed >= maxFigure) {
      issues.push({
        field: field(name),
        message: `Report row ${n}: ${name} must be a number ≥ 0 and below ${maxFigure}`,
      });
      return 0;
    }
    if (whole && !Number.isInteger(parsed)) {
      issues.push({
        field: field(name),
        message: `Report row ${n}: ${name} must be a whole number`,
      });
    }
    return parsed;
  };
  const only = buy.packages.length === 1 ? buy.packages[0]!.packageId : '';
  const packageId = String(raw['packageId'] ?? raw['package_id'] ?? only);
  if (!buy.packages.some((p) => p.packageId === packageId)) {
    issues.push({
      field: field('packageId'),
      message: `Report row ${n}: packageId must name a package of media buy ${buy.id}`,
    });
  }
  const impressions = number('impressions', true, true);
  const clicks = Math.floor(number('clicks', false, false));
  const spend = number('spend', true, false);
  const viewability = viewabilityOfRow(raw, impressions, field, n, issues);
  if (issues.length > 0) return issues;
  return { index, day, packageId, impressions, clicks, spend, viewability };
}

/** A column's value by its snake_case name or its camelCase one. */
const cell = (raw: Record<string, unknown>, name: string) => {
  const value = raw[name] ?? raw[name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())];
  return value === '' ? undefined : value;
};

/**
 * A row's viewability columns, all optional (sources/viewability.ts): measurable_impressions and
 * viewable_impressions together (whole, viewable ≤ measurable ≤ the day's impressions);
 * viewed_seconds (average in-view seconds per measurable impression) and viewability_standard
 * (mrc, groupm) only beside them. Each issue is pushed naming its column.
 */
function viewabilityOfRow(
  raw: Record<string, unknown>,
  impressions: number,
  field: (name: string) => string,
  n: number,
  issues: RowIssue[],
): RowViewability {
  const refuse = (name: string, why: string) =>
    issues.push({ field: field(name), message: `Report row ${n}: ${name} ${why}` });
  const count = (name: string) => {
    const value = cell(raw, name);
    if (value === undefined) return null;
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed) && parsed >= 0) return parsed;
    refuse(name, 'must be a whole number ≥ 0');
    return null;
  };
  const measurable = count('measurable_impressions');
  const viewable = count('viewable_impressions');
  const secondsCell = cell(raw, 'viewed_seconds');
  const seconds = secondsCell === undefined ? null : Number(secondsCell);
  const standard = cell(raw, 'viewability_standard');
  if (seconds !== null && !(Number.isFinite(seconds) && seconds >= 0 && seconds < 1e6)) {
    refuse('viewed_seconds', 'must be a number of seconds ≥ 0');
  }
  if (standard !== undefined && !isViewabilityStandard(standard)) {
    refuse('viewability_standard', `must be one of ${viewabilityStandards.join(', ')}`);
  }
  if (measurable === null) {
    if (viewable !== null) refuse('viewable_impressions', 'needs measurable_impressions beside it');
    if (seconds !== null) refuse('viewed_seconds', 'needs measurable_impressions beside it');
    return notMeasured;
  }
  if (measurable > impressions) {
    refuse('measurable_impressions', `must be at most the row's impressions (${impressions})`);
  }
  if (viewable === null) refuse('viewable_impressions', 'is required with measurable_impressions');
  else if (viewable > measurable) {
    refuse('viewable_impressions', `must be at most measurable_impressions (${measurable})`);
  }
  return {
    measurableImpressions: measurable,
    viewableImpressions: viewable,
    viewedSeconds: seconds,
    viewabilityStandard: isViewabilityStandard(standard) ? standard : null,
  };
}
