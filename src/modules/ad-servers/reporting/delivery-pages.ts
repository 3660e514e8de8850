import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AdServerError, type DeliveryRow } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { adServerDelivery, adServerSyncRuns } from '../tables.js';

/*
 * One delivery import, page by page: each page of the ad server's report is written before the
 * next is read, so memory holds one page whatever the report's size. A report still going at the
 * page bound is imported up to the bound and the import is recorded `partial` (in sync-history
 * as a `delivery` run, and in status), never silently short.
 */

/** The most report pages one import reads (500 rows a page at SpringServe and FreeWheel). */
export const defaultReportMaxPages = 1000;

export interface PagedImport {
  rows: number;
  complete: boolean;
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
  for (;;) {
    const next = await pages.next();
    if (next.done) return { rows, complete: next.value.complete };
    rows += await writePage(connection.inventorySourceId, next.value, lineOrder, window.importedAt);
  }

  async function writePage(
    inventorySourceId: number,
    page: DeliveryRow[],
    orders: Map<string, string>,
    importedAt: Date,
  ) {
    const values = page
      .filter((r) => orders.has(r.lineItemId))
      .map((r) => ({
        inventorySourceId,
        orderId: orders.get(r.lineItemId)!,
        lineItemId: r.lineItemId,
        day: r.day,
        impressions: r.impressions,
        clicks: r.clicks,
        spend: r.spend.toFixed(4),
        importedAt,
      }));
    for (let i = 0; i < values.length; i += 500) {
      await ctx.db
        .insert(adServerDelivery)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [
            adServerDelivery.inventorySourceId,
            adServerDelivery.lineItemId,
            adServerDelivery.day,
          ],
          set: {
            impressions: sql`excluded.impressions`,
            clicks: sql`excluded.clicks`,
            spend: sql`excluded.spend`,
            importedAt: sql`excluded.imported_at`,
          },
        });
    }
    return values.length;
  }
}

/** The import as a `delivery` run in sync-history: completed, partial (a bound hit) or failed. */
export async function recordDeliveryRun(
  ctx: AdServerContext,
  inventorySourceId: number,
  startedAt: Date,
  outcome: PagedImport | { error: unknown },
) {
  const failed = 'error' in outcome;
  const known = failed && outcome.error instanceof AdServerError ? outcome.error : undefined;
  const maxPages = ctx.deps.reportMaxPages ?? defaultReportMaxPages;
  await ctx.db.insert(adServerSyncRuns).values({
    id: `delivery_${randomUUID()}`,
    inventorySourceId,
    syncType: 'delivery',
    status: failed ? 'failed' : outcome.complete ? 'completed' : 'partial',
    startedAt,
    completedAt: ctx.now(),
    itemsProcessed: failed ? 0 : outcome.rows,
    errorSummary: failed
      ? (known?.message ?? 'The delivery import failed unexpectedly')
      : outcome.complete
        ? null
        : `The delivery report did not end within ${maxPages} pages: rows past the bound were not imported`,
    errorCategory: failed
      ? (known?.code ?? 'INTERNAL_ERROR')
      : outcome.complete
        ? null
        : 'REPORT_PAGE_BOUND',
  });
}
