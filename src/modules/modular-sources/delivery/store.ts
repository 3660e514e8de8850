import { asc, eq, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { modularBuys, modularDelivery, modularDeliveryReports } from '../tables.js';
import type { RowViewability } from '../../../sources/viewability.js';
import type { StoredDay } from './checks.js';

export type RevisionRow = typeof modularDeliveryReports.$inferSelect;
export type NewRevision = typeof modularDeliveryReports.$inferInsert;
export type DeliveryDayRow = StoredDay & RowViewability & { buyId: string; currency: string };

/** Delivery rows written a statement (well under PostgreSQL's 65,535 bound parameters). */
const insertChunk = 1_000;

/**
 * Locks a buy's row for the transaction: reports of one buy are applied one at a time, so each
 * is checked against the days the one before it wrote and numbered after it.
 */
export async function lockBuy(tx: Db, buyId: string) {
  await tx
    .select({ id: modularBuys.id })
    .from(modularBuys)
    .where(eq(modularBuys.id, buyId))
    .for('update');
}

/** Every day on record for the buys, by buy, package and day. */
export async function daysOf(db: Db, buyIds: string[]): Promise<DeliveryDayRow[]> {
  if (buyIds.length === 0) return [];
  return db
    .select({
      buyId: modularDelivery.buyId,
      packageId: modularDelivery.packageId,
      day: modularDelivery.day,
      impressions: modularDelivery.impressions,
      clicks: modularDelivery.clicks,
      spend: sql<number>`${modularDelivery.spend}::float8`,
      currency: modularDelivery.currency,
      measurableImpressions: modularDelivery.measurableImpressions,
      viewableImpressions: modularDelivery.viewableImpressions,
      viewedSeconds: modularDelivery.viewedSeconds,
      viewabilityStandard: modularDelivery.viewabilityStandard,
    })
    .from(modularDelivery)
    .where(inArray(modularDelivery.buyId, buyIds))
    .orderBy(asc(modularDelivery.buyId), asc(modularDelivery.packageId), asc(modularDelivery.day));
}

/** Writes days, each replacing what was on record for it (viewability too: none when not given). */
export async function writeDays(tx: Db, values: Array<typeof modularDelivery.$inferInsert>) {
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
          measurableImpressions: sql`excluded.measurable_impressions`,
          viewableImpressions: sql`excluded.viewable_impressions`,
          viewedSeconds: sql`excluded.viewed_seconds`,
          viewabilityStandard: sql`excluded.viewability_standard`,
          workItemId: sql`excluded.work_item_id`,
          reportId: sql`excluded.report_id`,
          updatedAt: sql`now()`,
        },
      });
  }
}

/** The revisions of the buys, oldest first per buy. */
export function revisionsOf(db: Db, buyIds: string[]): Promise<RevisionRow[]> {
  if (buyIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(modularDeliveryReports)
    .where(inArray(modularDeliveryReports.buyId, buyIds))
    .orderBy(asc(modularDeliveryReports.buyId), asc(modularDeliveryReports.revision));
}

/** The buy's latest revision number (0 before any) and whether a final report came yet. */
export async function revisionState(tx: Db, buyId: string) {
  const [row] = await tx
    .select({
      last: sql<number>`coalesce(max(${modularDeliveryReports.revision}), 0)::int`,
      final: sql<boolean>`coalesce(bool_or(${modularDeliveryReports.kind} = 'final'), false)`,
    })
    .from(modularDeliveryReports)
    .where(eq(modularDeliveryReports.buyId, buyId));
  return { last: Number(row?.last ?? 0), final: row?.final === true };
}

export async function insertRevision(tx: Db, row: NewRevision): Promise<RevisionRow> {
  const [saved] = await tx.insert(modularDeliveryReports).values(row).returning();
  return saved!;
}

/** One buy's revisions on its source (another source's buy has none). */
export function revisionsOfBuy(db: Db, inventorySourceId: number, buyId: string) {
  return db
    .select()
    .from(modularDeliveryReports)
    .where(columnsEqual(modularDeliveryReports, { inventorySourceId, buyId }))
    .orderBy(asc(modularDeliveryReports.revision));
}
