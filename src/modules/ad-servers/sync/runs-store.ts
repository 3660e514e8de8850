import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import type { SyncedObject } from '../adapters/port.js';
import { adServerInventory, adServerSyncRuns } from '../tables.js';

export type SyncRunRow = typeof adServerSyncRuns.$inferSelect;
export type SyncCursor = NonNullable<SyncRunRow['cursor']>;

/** The running run of a source, if any (at most one: the job is a singleton per source). */
export async function runningRun(
  db: Db,
  inventorySourceId: number,
): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(adServerSyncRuns)
    .where(
      and(
        eq(adServerSyncRuns.inventorySourceId, inventorySourceId),
        eq(adServerSyncRuns.status, 'running'),
      ),
    )
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

/** Writes one page of objects (insert or update), stamped with the run that saw them. */
export async function upsertPage(
  db: Db,
  inventorySourceId: number,
  runId: string,
  items: SyncedObject[],
) {
  if (!items.length) return;
  await db
    .insert(adServerInventory)
    .values(
      items.map((item) => ({
        inventorySourceId,
        kind: item.kind,
        externalId: item.externalId,
        parentId: item.parentId,
        name: item.name,
        status: item.status,
        data: item.data,
        syncRunId: runId,
      })),
    )
    .onConflictDoUpdate({
      target: [
        adServerInventory.inventorySourceId,
        adServerInventory.kind,
        adServerInventory.externalId,
      ],
      set: {
        parentId: sql`excluded.parent_id`,
        name: sql`excluded.name`,
        status: sql`excluded.status`,
        data: sql`excluded.data`,
        syncRunId: sql`excluded.sync_run_id`,
      },
    });
}

/** After a full run: what the ad server no longer has (the run did not see it) is dropped. */
export async function retireUnseen(
  db: Db,
  inventorySourceId: number,
  runId: string,
): Promise<number> {
  const removed = await db
    .delete(adServerInventory)
    .where(
      and(
        eq(adServerInventory.inventorySourceId, inventorySourceId),
        sql`${adServerInventory.syncRunId} <> ${runId}`,
      ),
    )
    .returning({ id: adServerInventory.externalId });
  return removed.length;
}

/** Synced objects per kind. */
export async function countsByKind(
  db: Db,
  inventorySourceId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .select({ kind: adServerInventory.kind, n: sql<number>`count(*)::int` })
    .from(adServerInventory)
    .where(eq(adServerInventory.inventorySourceId, inventorySourceId))
    .groupBy(adServerInventory.kind);
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/** Objects a run must have written before the planner's statistics are refreshed after it. */
export const analyzeAfterObjects = 1000;

/**
 * Refreshes the planner's statistics of the synced inventory after a run that wrote many
 * objects: until autovacuum's own analyze comes round (a minute or more later), a table that
 * just grew by thousands of rows is planned as if empty, and discovery's reads of the synced
 * inventory by id filter the whole source instead of using its primary key.
 */
export async function analyzeInventory(db: Db): Promise<void> {
  await db.execute(sql`analyze ad_server_inventory`);
}
