import { and, asc, count, eq, ilike, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
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

function mapUnique(error: unknown): unknown {
  if (isUniqueViolation(error, 'storefronts_platform_id_key')) {
    return conflict('Another storefront already uses this platformId', 'platformId');
  }
  if (isUniqueViolation(error, 'storefronts_customer_key')) {
    return conflict('This account already has a storefront');
  }
  return error;
}

export interface BuyerStorefrontFilter {
  /** public: listed, not hidden, not archived; organization: every storefront of one org. */
  visibility: 'public' | 'organization';
  organizationId?: number;
  /** A sponsored buyer's storefront: the only one it may see, listed or not. */
  onlyId?: number;
  name?: string;
  displayStatus?: 'configuring' | 'transacting' | 'archived';
  channel?: string;
  region?: string;
  limit: number;
  offset: number;
}

/** Storefront rows a buyer may browse, id order, with the total for paging. */
export async function listForBuyer(db: Db, f: BuyerStorefrontFilter) {
  const where: SQL[] = [];
  if (f.onlyId !== undefined) where.push(eq(storefronts.id, f.onlyId));
  else if (f.visibility === 'organization') {
    where.push(eq(storefronts.organizationId, f.organizationId ?? -1));
  } else {
    where.push(
      eq(storefronts.marketplaceStatus, 'LISTED'),
      eq(storefronts.hidden, false),
      isNull(storefronts.archivedAt),
    );
  }
  if (f.name)
    where.push(ilike(storefronts.name, `%${f.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.displayStatus === 'archived') where.push(isNotNull(storefronts.archivedAt));
  if (f.displayStatus === 'transacting') {
    where.push(isNotNull(storefronts.activatedAt), isNull(storefronts.archivedAt));
  }
  if (f.displayStatus === 'configuring') {
    where.push(isNull(storefronts.activatedAt), isNull(storefronts.archivedAt));
  }
  if (f.channel) where.push(sql`${storefronts.channels} @> ${JSON.stringify([f.channel])}::jsonb`);
  if (f.region) where.push(sql`${storefronts.regions} @> ${JSON.stringify([f.region])}::jsonb`);
  const condition = and(...where);
  // One round trip: the window count rides along with the page.
  const found = await db
    .select({ row: storefronts, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(storefronts)
    .where(condition)
    .orderBy(asc(storefronts.id))
    .limit(f.limit)
    .offset(f.offset);
  if (found.length > 0) return { rows: found.map((r) => r.row), total: found[0]?.total ?? 0 };
  const [totals] = await db.select({ n: count() }).from(storefronts).where(condition);
  return { rows: [] as StorefrontRow[], total: totals?.n ?? 0 };
}
