import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import {
  modularFeedRevisions,
  modularRowDiagnostics,
  modularSources,
  modularStagedAvails,
} from '../tables.js';
import type { ColumnMapping } from './avail.js';

/** Every query on a feed's revisions, their staged avails and their rows' diagnostics. */

export type RevisionRow = typeof modularFeedRevisions.$inferSelect;
export type NewRevision = typeof modularFeedRevisions.$inferInsert;
export type StagedAvail = typeof modularStagedAvails.$inferInsert;
export type NewDiagnosis = typeof modularRowDiagnostics.$inferInsert;

/** Inserts a revision; its idempotency key and revision id are unique per source (the caller maps a clash). */
export async function insertRevision(db: Db, values: NewRevision): Promise<RevisionRow> {
  const [row] = await db.insert(modularFeedRevisions).values(values).returning();
  return row!;
}

/** Saves the column mapping later feeds of the source are read with. */
export async function saveColumnMapping(
  db: Db,
  inventorySourceId: number,
  columnMapping: ColumnMapping,
  at: Date,
): Promise<void> {
  await db
    .update(modularSources)
    .set({ columnMapping, updatedAt: at })
    .where(eq(modularSources.inventorySourceId, inventorySourceId));
}

/**
 * Stages one batch of accepted rows; answers the row numbers kept. A row whose avail id an
 * earlier row of the revision staged is skipped by the revision's unique index (not kept).
 */
export async function insertStagedBatch(db: Db, rows: StagedAvail[]): Promise<Set<number>> {
  const kept = await db
    .insert(modularStagedAvails)
    .values(rows)
    .onConflictDoNothing()
    .returning({ rowNumber: modularStagedAvails.rowNumber });
  return new Set(kept.map((r) => r.rowNumber));
}

/** Records one batch of refused or warned rows with their diagnostics. */
export async function insertDiagnoses(db: Db, rows: NewDiagnosis[]): Promise<void> {
  await db.insert(modularRowDiagnostics).values(rows);
}

/** A source's revision by the idempotency key its preview was sent with, or undefined. */
export async function findByKey(db: Db, inventorySourceId: number, idempotencyKey: string) {
  const [row] = await db
    .select()
    .from(modularFeedRevisions)
    .where(columnsEqual(modularFeedRevisions, { inventorySourceId, idempotencyKey }));
  return row;
}

/** A source's revision by its revision id, or undefined (another source's is not found). */
export async function findRevision(
  db: Db,
  inventorySourceId: number,
  revisionId: string,
): Promise<RevisionRow | undefined> {
  const [row] = await db
    .select()
    .from(modularFeedRevisions)
    .where(columnsEqual(modularFeedRevisions, { inventorySourceId, revisionId }));
  return row;
}

/** A page of a revision's staged avails, in file order. */
export async function stagedAvails(db: Db, revisionRowId: string, limit: number, afterRow = 0) {
  return db
    .select()
    .from(modularStagedAvails)
    .where(
      and(
        eq(modularStagedAvails.revisionRowId, revisionRowId),
        gt(modularStagedAvails.rowNumber, afterRow),
      ),
    )
    .orderBy(asc(modularStagedAvails.rowNumber))
    .limit(limit);
}

/** A page of a revision's refused rows (refused = true) or warnings (false), in file order. */
export async function diagnosedRows(
  db: Db,
  revisionRowId: string,
  refused: boolean,
  limit: number,
  offset = 0,
) {
  return db
    .select()
    .from(modularRowDiagnostics)
    .where(columnsEqual(modularRowDiagnostics, { revisionRowId, refused: refused ? 1 : 0 }))
    .orderBy(asc(modularRowDiagnostics.rowNumber))
    .limit(limit)
    .offset(offset);
}

/** How many refused-row records a revision has (its header counts as one when a column is missing). */
export async function refusedRecordCount(db: Db, revisionRowId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(modularRowDiagnostics)
    .where(columnsEqual(modularRowDiagnostics, { revisionRowId, refused: 1 }));
  return Number(row?.n ?? 0);
}

/** Drops staged rows of previews past their expiry (a preview never committed costs nothing forever). */
export async function dropExpiredPreviews(db: Db, inventorySourceId: number, now: Date) {
  await db.execute(sql`
    delete from modular_staged_avails s using modular_feed_revisions r
     where s.revision_row_id = r.id and r.inventory_source_id = ${inventorySourceId}
       and r.commit_status = 'PREVIEW' and r.expires_at < ${now.toISOString()}`);
}
