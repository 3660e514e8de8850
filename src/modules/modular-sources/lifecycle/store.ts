import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import {
  modularAvails,
  modularModuleCredentials,
  modularModules,
  modularWorkItems,
} from '../tables.js';
import type { ModuleRow, ProjectionFacts } from './projection.js';

export const openStatuses = ['OPEN', 'IN_PROGRESS', 'BLOCKED'] as const;

export async function modulesOf(db: Db, inventorySourceId: number): Promise<ModuleRow[]> {
  return db
    .select()
    .from(modularModules)
    .where(eq(modularModules.inventorySourceId, inventorySourceId))
    .orderBy(asc(modularModules.id));
}

/** What the projection counts: active avails, open work, reports due, credentials. */
export async function factsOf(
  db: Db,
  inventorySourceId: number,
  moduleRowIds: number[],
  now: Date,
): Promise<ProjectionFacts> {
  const [avails] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        isNull(modularAvails.sandboxCustomerId),
        eq(modularAvails.active, true),
        sql`${modularAvails.endTime} > ${now.toISOString()}`,
      ),
    );
  const open = await db
    .select({
      moduleRowId: modularWorkItems.moduleRowId,
      stage: modularWorkItems.stage,
      kind: modularWorkItems.kind,
      count: sql<number>`count(*)::int`,
    })
    .from(modularWorkItems)
    .where(
      and(
        eq(modularWorkItems.inventorySourceId, inventorySourceId),
        inArray(modularWorkItems.status, [...openStatuses]),
      ),
    )
    .groupBy(modularWorkItems.moduleRowId, modularWorkItems.stage, modularWorkItems.kind);
  const due = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(*)::int as n from modular_buys b
      where b.inventory_source_id = ${inventorySourceId}
        and b.status in ('active', 'completed')
        and b.end_time < ${now.toISOString()}
        and not exists (select 1 from modular_delivery_reports r
          where r.buy_id = b.id and r.kind = 'final')`),
  );
  const credentials =
    moduleRowIds.length === 0
      ? []
      : await db
          .select({
            moduleRowId: modularModuleCredentials.moduleRowId,
            id: modularModuleCredentials.id,
            name: modularModuleCredentials.name,
            status: modularModuleCredentials.status,
            createdAt: modularModuleCredentials.createdAt,
            rotatedAt: modularModuleCredentials.rotatedAt,
            revokedAt: modularModuleCredentials.revokedAt,
          })
          .from(modularModuleCredentials)
          .where(inArray(modularModuleCredentials.moduleRowId, moduleRowIds))
          .orderBy(asc(modularModuleCredentials.createdAt));
  return {
    activeAvailCount: avails?.n ?? 0,
    openWorkItems: open.map((o) => ({ ...o, count: Number(o.count) })),
    reportsDue: Number(due[0]?.n ?? 0),
    credentials,
  };
}

/**
 * What a source's active avails offer, as it reports itself to inventory-sources: the distinct
 * channels and publisher domains (nulls left out of the channels; either null when none).
 */
export async function offeredOf(db: Db, inventorySourceId: number) {
  return rowsOf<{ channels: string[] | null; domains: string[] | null }>(
    await db.execute(sql`
      select array_remove(array_agg(distinct channel), null) as channels,
             (select array_agg(distinct p->>'publisher_domain')
                from modular_avails a2, jsonb_array_elements(a2.publisher_properties) p
               where a2.inventory_source_id = ${inventorySourceId} and a2.active) as domains
        from modular_avails
       where inventory_source_id = ${inventorySourceId} and active`),
  )[0];
}
