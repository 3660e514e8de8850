import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { testCohorts } from '../tables.js';

export type CohortRow = typeof testCohorts.$inferSelect;
export type NewCohort = typeof testCohorts.$inferInsert;

export async function insertCohort(tx: Db, input: NewCohort): Promise<CohortRow> {
  const [row] = await tx.insert(testCohorts).values(input).returning();
  return row as CohortRow;
}

export async function findCohort(db: Db, advertiserId: number, id: number) {
  const [row] = await db
    .select()
    .from(testCohorts)
    .where(columnsEqual(testCohorts, { advertiserId, id }));
  return row;
}

export async function pageCohorts(
  db: Db,
  advertiserId: number,
  filter: { role?: CohortRow['role']; isActive?: boolean },
  page: { take: number; skip: number },
) {
  const where: SQL[] = [eq(testCohorts.advertiserId, advertiserId)];
  if (filter.role) where.push(eq(testCohorts.role, filter.role));
  if (filter.isActive !== undefined) where.push(eq(testCohorts.isActive, filter.isActive));
  const rows = await db
    .select({ cohort: testCohorts, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(testCohorts)
    .where(and(...where))
    .orderBy(asc(testCohorts.id))
    .limit(page.take)
    .offset(page.skip);
  if (rows.length === 0 && page.skip > 0) {
    const [c] = await db
      .select({ n: count() })
      .from(testCohorts)
      .where(and(...where));
    return { rows: [], total: Number(c?.n ?? 0) };
  }
  return { rows: rows.map((r) => r.cohort), total: rows[0]?.total ?? 0 };
}

/** Cohorts of several advertisers at once (the nested GET). */
export async function cohortsOf(db: Db, advertiserIds: number[]) {
  if (advertiserIds.length === 0) return [];
  return db
    .select()
    .from(testCohorts)
    .where(inArray(testCohorts.advertiserId, advertiserIds))
    .orderBy(asc(testCohorts.id));
}

export async function updateCohort(
  tx: Db,
  advertiserId: number,
  id: number,
  patch: Partial<NewCohort>,
) {
  const [row] = await tx
    .update(testCohorts)
    .set({ ...patch, updatedAt: new Date() })
    .where(columnsEqual(testCohorts, { advertiserId, id }))
    .returning();
  return row;
}

export async function deleteCohort(tx: Db, advertiserId: number, id: number) {
  const rows = await tx
    .delete(testCohorts)
    .where(columnsEqual(testCohorts, { advertiserId, id }))
    .returning({ id: testCohorts.id });
  return rows.length > 0;
}
