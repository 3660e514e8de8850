import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict } from '../../platform/errors.js';
import { storefronts } from './tables.js';

export type StorefrontRow = typeof storefronts.$inferSelect;
export type NewStorefront = typeof storefronts.$inferInsert;

export async function platformIdTaken(db: Db, platformId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: storefronts.id })
    .from(storefronts)
    .where(eq(storefronts.platformId, platformId));
  return row !== undefined;
}

export async function insertStorefront(db: Db, input: NewStorefront): Promise<StorefrontRow> {
  try {
    const [row] = await db.insert(storefronts).values(input).returning();
    return row as StorefrontRow;
  } catch (error) {
    throw mapUnique(error);
  }
}

export async function findByCustomer(
  db: Db,
  customerId: number,
): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.customerId, customerId));
  return row;
}

export async function findById(db: Db, id: number): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.id, id));
  return row;
}

export async function findByPlatformId(
  db: Db,
  platformId: string,
): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.platformId, platformId));
  return row;
}

export async function updateStorefront(
  db: Db,
  id: number,
  patch: Partial<NewStorefront>,
): Promise<StorefrontRow> {
  try {
    const [row] = await db
      .update(storefronts)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(storefronts.id, id))
      .returning();
    return row as StorefrontRow;
  } catch (error) {
    throw mapUnique(error);
  }
}

export async function listForAdmin(
  db: Db,
  filter: { review?: 'pending_review' | 'listed' | 'hidden'; limit: number; offset: number },
) {
  const where: SQL[] = [];
  if (filter.review === 'pending_review')
    where.push(eq(storefronts.marketplaceStatus, 'PENDING_REVIEW'));
  if (filter.review === 'listed') {
    where.push(eq(storefronts.marketplaceStatus, 'LISTED'), eq(storefronts.hidden, false));
  }
  if (filter.review === 'hidden') where.push(eq(storefronts.hidden, true));
  const condition = where.length ? and(...where) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(storefronts)
      .where(condition)
      .orderBy(asc(storefronts.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: count() }).from(storefronts).where(condition),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export async function findManyById(db: Db, ids: number[]): Promise<StorefrontRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(storefronts).where(inArray(storefronts.id, ids));
}

function mapUnique(error: unknown): unknown {
  if (isUniqueViolation(error, 'storefronts_platform_id_key')) {
    return conflict('Another storefront already uses this platformId', 'platformId');
  }
  if (isUniqueViolation(error, 'storefronts_customer_key')) {
    return conflict('This account already has a storefront');
  }
  return error;
}
