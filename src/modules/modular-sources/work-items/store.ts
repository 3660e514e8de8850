import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { modularWorkItemEvents, modularWorkItems, type WorkItemStatus } from '../tables.js';

export type WorkItemRow = typeof modularWorkItems.$inferSelect;

export interface NewWorkItem {
  storefrontId: number;
  inventorySourceId: number;
  moduleRowId: number | null;
  stage: string;
  kind: string;
  title: string;
  description?: string | null;
  priority?: string;
  resourceType: string;
  resourceId: string;
  mediaBuyId?: string | null;
  buyerCustomerId?: number | null;
  dueAt?: Date | null;
  payload?: Record<string, unknown>;
  createdByType: string;
  createdById?: string | null;
}

/**
 * Opens a work item, once per (kind, resource): opening it again (a retried buy, a second
 * finalize) answers the item already there.
 */
export async function open(db: Db, item: NewWorkItem): Promise<WorkItemRow> {
  const id = `wi_${randomBytes(9).toString('base64url')}`;
  const [created] = await db
    .insert(modularWorkItems)
    .values({ id, ...item, payload: item.payload ?? {} })
    .onConflictDoNothing({
      target: [
        modularWorkItems.inventorySourceId,
        modularWorkItems.kind,
        modularWorkItems.resourceType,
        modularWorkItems.resourceId,
      ],
    })
    .returning();
  if (created) {
    await event(db, created.id, 'CREATED', item.createdByType, item.createdById ?? null, null, {});
    return created;
  }
  const [existing] = await db
    .select()
    .from(modularWorkItems)
    .where(
      columnsEqual(modularWorkItems, {
        inventorySourceId: item.inventorySourceId,
        kind: item.kind,
        resourceType: item.resourceType,
        resourceId: item.resourceId,
      }),
    );
  return existing!;
}

export async function event(
  db: Db,
  workItemId: string,
  eventType: string,
  actorType: string,
  actorId: string | null,
  notes: string | null,
  payload: Record<string, unknown>,
) {
  await db
    .insert(modularWorkItemEvents)
    .values({ workItemId, eventType, actorType, actorId, notes, payload });
}

export async function find(
  db: Db,
  inventorySourceId: number,
  id: string,
): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .select()
    .from(modularWorkItems)
    .where(columnsEqual(modularWorkItems, { inventorySourceId, id }));
  return row;
}

export async function eventsOf(db: Db, workItemId: string) {
  return db
    .select()
    .from(modularWorkItemEvents)
    .where(eq(modularWorkItemEvents.workItemId, workItemId))
    .orderBy(asc(modularWorkItemEvents.id));
}

export interface WorkItemFilter {
  status?: WorkItemStatus[] | undefined;
  kind?: string[] | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  mediaBuyId?: string | undefined;
  buyerCustomerId?: number | undefined;
  limit: number;
  offset?: number | undefined;
}

export async function list(db: Db, inventorySourceId: number, filter: WorkItemFilter) {
  const where = and(
    eq(modularWorkItems.inventorySourceId, inventorySourceId),
    inArray(modularWorkItems.status, filter.status ?? ['OPEN', 'IN_PROGRESS', 'BLOCKED']),
    filter.kind?.length ? inArray(modularWorkItems.kind, filter.kind) : undefined,
    filter.resourceType ? eq(modularWorkItems.resourceType, filter.resourceType) : undefined,
    filter.resourceId ? eq(modularWorkItems.resourceId, filter.resourceId) : undefined,
    filter.mediaBuyId ? eq(modularWorkItems.mediaBuyId, filter.mediaBuyId) : undefined,
    filter.buyerCustomerId
      ? eq(modularWorkItems.buyerCustomerId, filter.buyerCustomerId)
      : undefined,
  );
  const [counted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(modularWorkItems)
    .where(where);
  const items = await db
    .select()
    .from(modularWorkItems)
    .where(where)
    .orderBy(desc(modularWorkItems.createdAt), desc(modularWorkItems.id))
    .offset(filter.offset ?? 0)
    .limit(filter.limit);
  return { items, total: Number(counted?.n ?? 0) };
}

/**
 * Moves an item to `status` only from one of `from` (the claim, the completion and the cancel
 * each happen once, whoever races); answers the item as changed, or undefined.
 */
export async function transition(
  db: Db,
  id: string,
  from: WorkItemStatus[],
  patch: Partial<typeof modularWorkItems.$inferInsert>,
): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .update(modularWorkItems)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(modularWorkItems.id, id), inArray(modularWorkItems.status, from)))
    .returning();
  return row;
}

/** Open items about one resource (e.g. a buy's CONFIRM_AVAILS), to cancel with it. */
export async function openFor(db: Db, inventorySourceId: number, mediaBuyId: string) {
  return db
    .select()
    .from(modularWorkItems)
    .where(
      and(
        eq(modularWorkItems.inventorySourceId, inventorySourceId),
        eq(modularWorkItems.mediaBuyId, mediaBuyId),
        inArray(modularWorkItems.status, ['OPEN', 'IN_PROGRESS', 'BLOCKED']),
      ),
    );
}

/**
 * A storefront's work items of every source (open ones unless told), the most pressing first:
 * HIGH priority, then the nearest deadline, then the oldest; with the counts by kind and by
 * source of all that match the statuses (whatever the kind filter and the limit).
 */
export async function listOfStorefront(
  db: Db,
  storefrontId: number,
  filter: { status?: WorkItemStatus[] | undefined; kind?: string[] | undefined; limit: number },
) {
  const statuses = filter.status ?? ['OPEN', 'IN_PROGRESS', 'BLOCKED'];
  const matching = and(
    eq(modularWorkItems.storefrontId, storefrontId),
    inArray(modularWorkItems.status, statuses),
  );
  const where = and(
    matching,
    filter.kind?.length ? inArray(modularWorkItems.kind, filter.kind) : undefined,
  );
  const counts = await db
    .select({
      kind: modularWorkItems.kind,
      inventorySourceId: modularWorkItems.inventorySourceId,
      n: sql<number>`count(*)::int`,
    })
    .from(modularWorkItems)
    .where(matching)
    .groupBy(modularWorkItems.kind, modularWorkItems.inventorySourceId);
  const items = await db
    .select()
    .from(modularWorkItems)
    .where(where)
    .orderBy(
      sql`(${modularWorkItems.priority} in ('URGENT', 'HIGH')) desc`,
      sql`${modularWorkItems.dueAt} asc nulls last`,
      asc(modularWorkItems.createdAt),
      asc(modularWorkItems.id),
    )
    .limit(filter.limit);
  return { items, counts: counts.map((c) => ({ ...c, n: Number(c.n) })) };
}

/** A storefront's item by id, whatever its source (the storefront-wide completion). */
export async function findOfStorefront(
  db: Db,
  storefrontId: number,
  id: string,
): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .select()
    .from(modularWorkItems)
    .where(columnsEqual(modularWorkItems, { storefrontId, id }));
  return row;
}

/** A storefront's open work items counted per (source row, that source's media buy id). */
export async function openCountsByBuy(db: Db, storefrontId: number) {
  const rows = await db
    .select({
      inventorySourceId: modularWorkItems.inventorySourceId,
      mediaBuyId: modularWorkItems.mediaBuyId,
      n: sql<number>`count(*)::int`,
    })
    .from(modularWorkItems)
    .where(
      and(
        eq(modularWorkItems.storefrontId, storefrontId),
        inArray(modularWorkItems.status, ['OPEN', 'IN_PROGRESS', 'BLOCKED']),
        isNotNull(modularWorkItems.mediaBuyId),
      ),
    )
    .groupBy(modularWorkItems.inventorySourceId, modularWorkItems.mediaBuyId);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
