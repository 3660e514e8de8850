import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { adServerSyncRuns } from '../tables.js';

/*
 * Every query on sync runs (hosted sync-history): inventory runs with their cursor, written
 * after every page, and delivery imports recorded as `delivery` runs.
 */

export type SyncRunRow = typeof adServerSyncRuns.$inferSelect;
export type NewSyncRun = typeof adServerSyncRuns.$inferInsert;
export type SyncCursor = NonNullable<SyncRunRow['cursor']>;

/** The running run of a source, if any (at most one: the job is a singleton per source). */
export async function runningRun(
  db: Db,
  inventorySourceId: number,
): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(adServerSyncRuns)
    .where(columnsEqual(adServerSyncRuns, { inventorySourceId, status: 'running' }))
    .limit(1);
  return row;
}

export async function findRun(db: Db, id: string): Promise<SyncRunRow | undefined> {
  const [row] = await db.select().from(adServerSyncRuns).where(eq(adServerSyncRuns.id, id));
  return row;
}

export async function history(
  db: Db,
  inventorySourceId: number,
  filter: {
    syncType?: string | undefined;
    status?: string | undefined;
    limit: number;
    before?: Date | undefined;
  },
): Promise<SyncRunRow[]> {
  return db
    .select()
    .from(adServerSyncRuns)
    .where(
      and(
        eq(adServerSyncRuns.inventorySourceId, inventorySourceId),
        filter.syncType ? eq(adServerSyncRuns.syncType, filter.syncType) : undefined,
        filter.status ? eq(adServerSyncRuns.status, filter.status) : undefined,
        filter.before ? lt(adServerSyncRuns.startedAt, filter.before) : undefined,
      ),
    )
    .orderBy(desc(adServerSyncRuns.startedAt))
    .limit(filter.limit);
}

/** The source's latest completed inventory runs (cursor and start), newest first, at most `limit`. */
export async function completedInventoryRuns(
  db: Db,
  inventorySourceId: number,
  limit: number,
): Promise<Array<Pick<SyncRunRow, 'cursor' | 'startedAt'>>> {
  return db
    .select({ cursor: adServerSyncRuns.cursor, startedAt: adServerSyncRuns.startedAt })
    .from(adServerSyncRuns)
    .where(
      columnsEqual(adServerSyncRuns, {
        inventorySourceId,
        syncType: 'inventory',
        status: 'completed',
      }),
    )
    .orderBy(desc(adServerSyncRuns.startedAt))
    .limit(limit);
}

/**
 * What the source's synced inventory was last written by: its latest inventory run, where it
 * stands and what it has written. Every page a run writes moves its cursor in the same
 * transaction (advanceCursor), and a run's end sets its status: so this changes whenever the
 * synced copy does (product-set.ts holds products while it stays the same).
 */
export async function inventoryVersion(db: Db, inventorySourceId: number): Promise<string> {
  const [run] = await db
    .select({
      id: adServerSyncRuns.id,
      status: adServerSyncRuns.status,
      items: adServerSyncRuns.itemsProcessed,
      cursor: adServerSyncRuns.cursor,
    })
    .from(adServerSyncRuns)
    .where(columnsEqual(adServerSyncRuns, { inventorySourceId, syncType: 'inventory' }))
    .orderBy(desc(adServerSyncRuns.startedAt))
    .limit(1);
  return run ? JSON.stringify([run.id, run.status, run.items, run.cursor]) : 'never synced';
}

/**
 * Records a run; undefined when the source already has a running one (the partial unique index
 * holds at most one running run per source, whatever the instance).
 */
export async function insertRunUnlessRunning(
  db: Db,
  values: NewSyncRun,
): Promise<SyncRunRow | undefined> {
  const [run] = await db.insert(adServerSyncRuns).values(values).onConflictDoNothing().returning();
  return run;
}

/** Records a finished run (a delivery import). */
export async function insertRun(db: Db, values: NewSyncRun): Promise<void> {
  await db.insert(adServerSyncRuns).values(values);
}

/** Saves fields of a run as given. */
export async function updateRun(db: Db, runId: string, fields: Partial<NewSyncRun>) {
  await db.update(adServerSyncRuns).set(fields).where(eq(adServerSyncRuns.id, runId));
}

/**
 * Moves a running run's cursor from `from` to `next`, counting `items` more processed; false
 * when the run no longer stands at `from` (another worker moved it first, or it ended).
 */
export async function advanceCursor(
  db: Db,
  runId: string,
  from: SyncCursor,
  next: SyncCursor,
  items: number,
): Promise<boolean> {
  const moved = await db
    .update(adServerSyncRuns)
    .set({
      cursor: next,
      itemsProcessed: sql`${adServerSyncRuns.itemsProcessed} + ${items}`,
    })
    .where(
      and(
        eq(adServerSyncRuns.id, runId),
        eq(adServerSyncRuns.status, 'running'),
        sql`${adServerSyncRuns.cursor} = ${JSON.stringify(from)}::jsonb`,
      ),
    )
    .returning({ id: adServerSyncRuns.id });
  return moved.length > 0;
}
