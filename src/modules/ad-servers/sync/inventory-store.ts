import { and, eq, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import type { SyncedObject } from '../adapters/port.js';
import { adServerInventory } from '../tables.js';

/*
 * Every query on the synced inventory (ad units, placements, custom targeting keys and values,
 * advertisers): written page by page by the sync (sync/sync.ts), read by products and forecasts
 * (products.ts) and status. Only the synced copy: nothing here talks to the ad server.
 */

export type InventoryKind = 'placement' | 'ad_unit' | 'targeting_key' | 'targeting_value';

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

const activePlacementOf = (inventorySourceId: number) =>
  columnsEqual(adServerInventory, { inventorySourceId, kind: 'placement', status: 'ACTIVE' });

/**
 * The ids of the source's active placements in id order, and the sync runs that last wrote them:
 * one row of two JSON arrays (placement-catalogue.ts holds the rest between calls).
 */
export async function activePlacementOrder(
  db: Db,
  inventorySourceId: number,
): Promise<{ ids: string[]; runs: string[] }> {
  const [row] = await db
    .select({
      ids: sql<
        string[]
      >`coalesce(json_agg(${adServerInventory.externalId} order by ${adServerInventory.externalId}), '[]')`,
      runs: sql<string[]>`coalesce(json_agg(distinct ${adServerInventory.syncRunId}), '[]')`,
    })
    .from(adServerInventory)
    .where(activePlacementOf(inventorySourceId));
  return row ?? { ids: [], runs: [] };
}

/** The ids of the source's active placements per sync run that last wrote them. */
export async function activePlacementRuns(
  db: Db,
  inventorySourceId: number,
): Promise<Array<{ runId: string; ids: string[] }>> {
  return db
    .select({
      runId: adServerInventory.syncRunId,
      ids: sql<string[]>`json_agg(${adServerInventory.externalId})`,
    })
    .from(adServerInventory)
    .where(activePlacementOf(inventorySourceId))
    .groupBy(adServerInventory.syncRunId);
}

/** Placements by id with what the brief matcher reads and the sync run that wrote it. */
export async function placementsForMatching(
  db: Db,
  inventorySourceId: number,
  ids: string[],
): Promise<Array<{ id: string; runId: string; name: string; description: string | null }>> {
  if (!ids.length) return [];
  return db
    .select({
      id: adServerInventory.externalId,
      runId: adServerInventory.syncRunId,
      name: adServerInventory.name,
      description: sql<string | null>`${adServerInventory.data}->>'description'`,
    })
    .from(adServerInventory)
    .where(
      and(
        eq(adServerInventory.inventorySourceId, inventorySourceId),
        eq(adServerInventory.kind, 'placement'),
        inArray(adServerInventory.externalId, ids),
      ),
    );
}

/** One active placement by its id in the ad server, if synced. */
export async function activePlacement(
  db: Db,
  inventorySourceId: number,
  externalId: string,
): Promise<{ name: string } | undefined> {
  const [placement] = await db
    .select()
    .from(adServerInventory)
    .where(
      columnsEqual(adServerInventory, {
        inventorySourceId,
        kind: 'placement',
        externalId,
        status: 'ACTIVE',
      }),
    );
  return placement;
}

/** How many active placements the source has synced. */
export async function activePlacementCount(db: Db, inventorySourceId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(adServerInventory)
    .where(
      columnsEqual(adServerInventory, { inventorySourceId, kind: 'placement', status: 'ACTIVE' }),
    );
  return row?.n ?? 0;
}

/** The data of the objects of one kind among `ids` (none asked: none read). */
export async function objectsById(
  db: Db,
  inventorySourceId: number,
  kind: InventoryKind,
  ids: string[],
): Promise<Array<{ id: string; data: Record<string, unknown> }>> {
  if (!ids.length) return [];
  return db
    .select({ id: adServerInventory.externalId, data: adServerInventory.data })
    .from(adServerInventory)
    .where(
      and(
        eq(adServerInventory.inventorySourceId, inventorySourceId),
        eq(adServerInventory.kind, kind),
        inArray(adServerInventory.externalId, ids),
      ),
    );
}

/** The id of a custom targeting key by its name, if synced. */
export async function targetingKeyId(
  db: Db,
  inventorySourceId: number,
  name: string,
): Promise<string | undefined> {
  const [key] = await db
    .select({ id: adServerInventory.externalId })
    .from(adServerInventory)
    .where(columnsEqual(adServerInventory, { inventorySourceId, kind: 'targeting_key', name }));
  return key?.id;
}

/** The synced values of a targeting key among `names`. */
export async function targetingValues(
  db: Db,
  inventorySourceId: number,
  keyId: string,
  names: string[],
): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: adServerInventory.externalId, name: adServerInventory.name })
    .from(adServerInventory)
    .where(
      and(
        eq(adServerInventory.inventorySourceId, inventorySourceId),
        eq(adServerInventory.kind, 'targeting_value'),
        eq(adServerInventory.parentId, keyId),
        inArray(adServerInventory.name, names),
      ),
    );
}
