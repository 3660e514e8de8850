import { randomUUID } from 'node:crypto';
import { AdServerError, type DeliveryRow } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { insertRun } from '../sync/runs-store.js';
import { upsertDeliveryRows } from './delivery-store.js';

/*
 * One delivery import, page by page: each page of the ad server's report is written before the
 * next is read, so memory holds one page whatever the report's size. A report still going at the
 * page bound is imported up to the bound and the import is recorded `partial` (in sync-history
 * as a `delivery` run, and in status), never silently short. A row the ad server answered that
 * cannot be stored (no calendar day, a count that is not a whole number — viewability's too — a
 * spend out of range) is
 * left out and counted, and the import is recorded `partial` with REPORT_ROWS_UNREADABLE: one bad
 * row neither fails the import (and the pages after it) nor lands as a database error.
 */

/** The most report pages one import reads (500 rows a page at SpringServe and FreeWheel). */
export const defaultReportMaxPages = 1000;

export interface PagedImport {
  rows: number;
  complete: boolean;
  /** Rows left out because they could not be stored. */
  unreadable: number;
}

/** The most a day's spend may be (the column's precision: 14 digits, 4 of them decimals). */
const maxSpend = 1e10;

const count = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** Whether a report row can be stored as it is: a calendar day, whole counts, a spend in range. */
export function storable(row: DeliveryRow): boolean {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(row.day) && new Date(`${row.day}T00:00:00Z`);
  return (
    !!day &&
    day.toISOString().slice(0, 10) === row.day &&
    count(row.impressions) &&
    count(row.clicks) &&
    Number.isFinite(row.spend) &&
    row.spend >= 0 &&
    row.spend < maxSpend &&
    (!row.viewability || storableViewability(row.viewability))
  );
}

/** Viewability's counts whole, its seconds a number of seconds. */
function storableViewability(v: NonNullable<DeliveryRow['viewability']>) {
  const seconds = v.viewedSeconds;
  const timed =
    seconds === undefined || (Number.isFinite(seconds) && seconds >= 0 && seconds < 1e6);
  return count(v.measurable) && count(v.viewable) && timed;
}

export async function importReportPages(
  ctx: AdServerContext,
  connection: ConnectionRow,
  lineOrder: Map<string, string>,
  window: { from: string; to: string; importedAt: Date },
): Promise<PagedImport> {
  const maxPages = ctx.deps.reportMaxPages ?? defaultReportMaxPages;
  const pages = ctx
    .adapterFor(connection)
    .deliveryReport([...lineOrder.keys()], window.from, window.to, maxPages);
  let rows = 0;
  let unreadable = 0;
  for (;;) {
    const next = await pages.next();
    if (next.done) return { rows, complete: next.value.complete, unreadable };
    const ours = next.value.filter((r) => lineOrder.has(r.lineItemId));
    const stored = ours.filter(storable);
    unreadable += ours.length - stored.length;
    rows += await writePage(connection.inventorySourceId, stored, lineOrder, window.importedAt);
  }

  async function writePage(
    inventorySourceId: number,
    page: DeliveryRow[],
    orders: Map<string, string>,
    importedAt: Date,
  ) {
    const values = page.map((r) => ({
      inventorySourceId,
      orderId: orders.get(r.lineItemId)!,
      lineItemId: r.lineItemId,
      day: r.day,
      impressions: r.impressions,
      clicks: r.clicks,
      spend: r.spend.toFixed(4),
      measurableImpressions: r.viewability?.measurable ?? null,
      viewableImpressions: r.viewability?.viewable ?? null,
      viewedSeconds: r.viewability?.viewedSeconds ?? null,
      viewabilityStandard: r.viewability?.standard ?? null,
      importedAt,
    }));
    await upsertDeliveryRows(ctx.db, values);
    return values.length;
  }
}

/** Why an import that ran to its end is short, if it is: the page bound, then unreadable rows. */
function shortfall(outcome: PagedImport, maxPages: number) {
  if (!outcome.complete) {
    const skipped = outcome.unreadable
      ? `; ${outcome.unreadable} unreadable rows were left out`
      : '';
    return {
      errorCategory: 'REPORT_PAGE_BOUND',
      errorSummary: `The delivery report did not end within ${maxPages} pages: rows past the bound were not imported${skipped}`,
    };
  }
  if (outcome.unreadable) {
    return {
      errorCategory: 'REPORT_ROWS_UNREADABLE',
      errorSummary: `${outcome.unreadable} rows of the delivery report could not be read (a day, count or spend out of shape) and were left out`,
    };
  }
  return undefined;
}

/**
 * The import as a `delivery` run in sync-history: completed, partial (a bound hit or rows left
 * out) or failed.
 */
export async function recordDeliveryRun(
  ctx: AdServerContext,
  inventorySourceId: number,
  startedAt: Date,
  outcome: PagedImport | { error: unknown },
) {
  const failed = 'error' in outcome;
  const known = failed && outcome.error instanceof AdServerError ? outcome.error : undefined;
  const short = failed
    ? undefined
    : shortfall(outcome, ctx.deps.reportMaxPages ?? defaultReportMaxPages);
  await insertRun(ctx.db, {
    id: `delivery_${randomUUID()}`,
    inventorySourceId,
    syncType: 'delivery',
    status: failed ? 'failed' : short ? 'partial' : 'completed',
    startedAt,
    completedAt: ctx.now(),
    itemsProcessed: failed ? 0 : outcome.rows,
    errorSummary: failed
      ? (known?.message ?? 'The delivery import failed unexpectedly')
      : (short?.errorSummary ?? null),
    errorCategory: failed ? (known?.code ?? 'INTERNAL_ERROR') : (short?.errorCategory ?? null),
  });
}
