import { and, count, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { ActivityQuery, NewActivity } from './schemas.js';
import { storefrontActivity } from './tables.js';

export type ActivityRow = typeof storefrontActivity.$inferSelect;

export async function insertActivity(db: Db, entry: NewActivity): Promise<void> {
  await db.insert(storefrontActivity).values({
    storefrontId: entry.storefrontId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    resourceName: entry.resourceName ?? null,
    userId: entry.userId ?? null,
    actorOrigin: entry.actorOrigin ?? 'human',
    outcome: entry.outcome ?? 'succeeded',
    changes: entry.changes ?? null,
    description: entry.description,
  });
}

/** The storefront's feed, newest first, with filters; ids break timestamp ties. */
export async function listActivity(db: Db, storefrontId: number, query: ActivityQuery) {
  const where: SQL[] = [eq(storefrontActivity.storefrontId, storefrontId)];
  if (query.startDate) where.push(gte(storefrontActivity.createdAt, new Date(query.startDate)));
  if (query.endDate) where.push(lte(storefrontActivity.createdAt, new Date(query.endDate)));
  if (query.resourceTypes?.length) {
    where.push(inArray(storefrontActivity.resourceType, query.resourceTypes));
  }
  if (query.actions?.length) where.push(inArray(storefrontActivity.action, query.actions));
  if (query.actorOrigin) where.push(eq(storefrontActivity.actorOrigin, query.actorOrigin));
  if (query.actorUserId !== undefined) where.push(eq(storefrontActivity.userId, query.actorUserId));
  if (query.resourceId) where.push(eq(storefrontActivity.resourceId, query.resourceId));
  if (query.outcome) where.push(eq(storefrontActivity.outcome, query.outcome));
  if (query.inventorySourceId) {
    where.push(eq(storefrontActivity.resourceType, 'STOREFRONT_INVENTORY_SOURCE'));
    where.push(eq(storefrontActivity.resourceId, query.inventorySourceId));
  }
  const condition = and(...where);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(storefrontActivity)
      .where(condition)
      .orderBy(desc(storefrontActivity.createdAt), desc(storefrontActivity.id))
      .limit(query.take)
      .offset(query.skip),
    db.select({ n: count() }).from(storefrontActivity).where(condition),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** The latest entry per resource id of one type, for "last activity" columns. */
export async function latestPerResource(
  db: Db,
  storefrontId: number,
  resourceType: string,
): Promise<Map<string, ActivityRow>> {
  const rows = await db
    .selectDistinctOn([storefrontActivity.resourceId])
    .from(storefrontActivity)
    .where(columnsEqual(storefrontActivity, { storefrontId, resourceType }))
    .orderBy(
      storefrontActivity.resourceId,
      desc(storefrontActivity.createdAt),
      desc(storefrontActivity.id),
    );
  return new Map(rows.filter((r) => r.resourceId !== null).map((r) => [r.resourceId as string, r]));
}
