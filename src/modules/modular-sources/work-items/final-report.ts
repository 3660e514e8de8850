import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { calendarDaySchema } from '../../../platform/formats.js';
import type { BuyRow } from '../buys/store.js';
import { modularDelivery } from '../tables.js';
import type { WorkItemRow } from './store.js';

/** A final report may hold at most this many rows (a day per package over a long flight). */
const maxReportRows = 20_000;
/** A day's figure at most this (spend is numeric(16, 4): a larger one would fail the write, a 500). */
const maxFigure = 1_000_000_000_000;
/** Refused rows a refusal names one by one (the first is also its field and message). */
const maxRefusedNamed = 100;
/** Delivery rows written a statement (well under PostgreSQL's 65,535 bound parameters). */
const insertChunk = 1_000;

interface ReportRow {
  day: string;
  packageId: string;
  impressions: number;
  clicks: number;
  spend: number;
}

/**
 * A final report (UPLOAD_FINAL_REPORT's result) as delivery rows: `rows` as a list of
 * {date, impressions, spend, clicks?, packageId?} or `csvText` with those columns. A row without
 * a package belongs to the buy's only package. Rows replace earlier figures for the same day, so
 * a corrected report re-uploaded is not counted twice. A bad row refuses the whole report,
 * naming it.
 */
export async function importFinalReport(
  tx: Db,
  buy: BuyRow,
  item: WorkItemRow,
  result: Record<string, unknown>,
): Promise<number> {
  const raw = rowsIn(result);
  const currency =
    typeof result['currency'] === 'string'
      ? result['currency']
      : (buy.packages[0]?.currency ?? 'USD');
  const packages = new Map(buy.packages.map((p) => [p.packageId, p]));
  const rows = checkedRows(raw, buy, packages);
  // One statement a chunk, not one a row; a day named twice in the report keeps its last figures
  // (as a re-upload does), since one insert may not update the same row twice.
  const latest = new Map(rows.map((row) => [`${row.packageId}\u0000${row.day}`, row]));
  const values = [...latest.values()].map((row) => ({
    inventorySourceId: buy.inventorySourceId,
    buyId: buy.id,
    packageId: row.packageId,
    day: row.day,
    impressions: row.impressions,
    clicks: row.clicks,
    spend: row.spend,
    currency,
    workItemId: item.id,
  }));
  for (let start = 0; start < values.length; start += insertChunk) {
    await tx
      .insert(modularDelivery)
      .values(values.slice(start, start + insertChunk))
      .onConflictDoUpdate({
        target: [modularDelivery.buyId, modularDelivery.packageId, modularDelivery.day],
        set: {
          impressions: sql`excluded.impressions`,
          clicks: sql`excluded.clicks`,
          spend: sql`excluded.spend`,
          currency: sql`excluded.currency`,
          workItemId: sql`excluded.work_item_id`,
        },
      });
  }
  return rows.length;
}

/**
 * Every row checked, so a refusal names each bad row (`details.issues`, up to 100, with
 * `details.refusedRowCount`), not only the first: the publisher fixes the report in one go.
 */
function checkedRows(
  raw: Record<string, unknown>[],
  buy: BuyRow,
  packages: Map<string, unknown>,
): ReportRow[] {
  const rows: ReportRow[] = [];
  const issues: Array<{ field: string; message: string }> = [];
  let refused = 0;
  raw.forEach((r, index) => {
    try {
      rows.push(reportRow(r, index + 1, buy, packages));
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== 'invalid') throw error;
      refused += 1;
      if (issues.length < maxRefusedNamed) {
        issues.push({ field: error.field ?? 'result.rows', message: error.message });
      }
    }
  });
  const firstIssue = issues[0];
  if (firstIssue) {
    const more = refused > 1 ? ` (and ${refused - 1} more refused rows: see details.issues)` : '';
    throw invalid(`${firstIssue.message}${more}`, firstIssue.field, {
      issues,
      refusedRowCount: refused,
    });
  }
  return rows;
}

function rowsIn(result: Record<string, unknown>): Record<string, unknown>[] {
  let rows: unknown = result['rows'];
  if (rows === undefined && typeof result['csvText'] === 'string') {
    try {
      rows = parseCsv(result['csvText'], {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
      });
    } catch (error) {
      throw invalid(
        `result.csvText is not CSV: ${error instanceof Error ? error.message : ''}`,
        'result.csvText',
      );
    }
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw invalid(
      'A final report needs result.rows (or result.csvText) with at least one row',
      'result.rows',
    );
  }
  if (rows.length > maxReportRows) {
    throw invalid(`A final report may have at most ${maxReportRows} rows`, 'result.rows');
  }
  return rows as Record<string, unknown>[];
}

function reportRow(
  raw: Record<string, unknown>,
  n: number,
  buy: BuyRow,
  packages: Map<string, unknown>,
): ReportRow {
  const field = (name: string) => `result.rows[${n - 1}].${name}`;
  const day = String(raw['date'] ?? raw['day'] ?? '').slice(0, 10);
  if (!calendarDaySchema.safeParse(day).success) {
    throw invalid(`Report row ${n}: date must be YYYY-MM-DD`, field('date'));
  }
  const number = (name: string, required: boolean) => {
    const value = raw[name];
    if (value === undefined || value === '') {
      if (required) throw invalid(`Report row ${n}: ${name} is required`, field(name));
      return 0;
    }
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0 || parsed >= maxFigure) {
      throw invalid(
        `Report row ${n}: ${name} must be a number ≥ 0 and below ${maxFigure}`,
        field(name),
      );
    }
    return parsed;
  };
  const packageId = String(
    raw['packageId'] ??
      raw['package_id'] ??
      (buy.packages.length === 1 ? buy.packages[0]!.packageId : ''),
  );
  if (!packages.has(packageId)) {
    throw invalid(
      `Report row ${n}: packageId must name a package of media buy ${buy.id}`,
      field('packageId'),
    );
  }
  const impressions = number('impressions', true);
  if (!Number.isInteger(impressions)) {
    throw invalid(`Report row ${n}: impressions must be a whole number`, field('impressions'));
  }
  return {
    day,
    packageId,
    impressions,
    clicks: Math.floor(number('clicks', false)),
    spend: number('spend', true),
  };
}
