import { and, asc, count, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { likeContaining } from '../../platform/db/like.js';
import { advertiserAccounts, advertisers, brandCache, measurementConfigs } from './tables.js';

export type AdvertiserRow = typeof advertisers.$inferSelect;
export type NewAdvertiser = typeof advertisers.$inferInsert;
export type LinkRow = typeof advertiserAccounts.$inferSelect;
export type NewLink = typeof advertiserAccounts.$inferInsert;
export type MeasurementRow = typeof measurementConfigs.$inferSelect;
export type BrandCacheRow = typeof brandCache.$inferSelect;

/** Seed 004 ids are numeric strings; anything else (or out of range) is no advertiser at all. */
export function parseAdvertiserId(id: string): number | undefined {
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export async function insertAdvertiser(tx: Db, input: NewAdvertiser): Promise<AdvertiserRow> {
  const [row] = await tx.insert(advertisers).values(input).returning();
  return row as AdvertiserRow;
}

/** The customer's advertiser; another customer's reads as missing. */
export async function findAdvertiser(
  db: Db,
  customerId: number,
  id: number,
): Promise<AdvertiserRow | undefined> {
  const [row] = await db
    .select()
    .from(advertisers)
    .where(columnsEqual(advertisers, { customerId, id }));
  return row;
}

export interface AdvertiserFilter {
  status: 'ACTIVE' | 'ARCHIVED' | 'ALL';
  name?: string;
  sandbox?: boolean;
  linkedSource?: string;
}

/**
 * One page of a customer's advertisers (id ascending) with the total and each row's linked
 * account count, in one statement whatever the page size.
 */
export async function pageAdvertisers(
  db: Db,
  customerId: number,
  filter: AdvertiserFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: (AdvertiserRow & { linkCount: number })[]; total: number }> {
  const where: SQL[] = [eq(advertisers.customerId, customerId)];
  if (filter.status !== 'ALL') where.push(eq(advertisers.status, filter.status));
  if (filter.name) where.push(ilike(advertisers.name, likeContaining(filter.name)));
  if (filter.sandbox !== undefined) where.push(eq(advertisers.sandbox, filter.sandbox));
  if (filter.linkedSource !== undefined) {
    where.push(
      sql`exists (select 1 from "advertiser_accounts" l where l."advertiser_id" = "advertisers"."id" and (l."source_id" = ${filter.linkedSource} or l."agent_id" = ${filter.linkedSource}))`,
    );
  }
  const rows = await db
    .select({
      advertiser: advertisers,
      total: sql<number>`count(*) over ()`.mapWith(Number),
      // Qualified by hand: drizzle renders columns bare, and a bare "id" here is the link's.
      linkCount:
        sql<number>`(select count(*) from "advertiser_accounts" l where l."advertiser_id" = "advertisers"."id")`.mapWith(
          Number,
        ),
    })
    .from(advertisers)
    .where(and(...where))
    .orderBy(asc(advertisers.id))
    .limit(page.limit)
    .offset(page.offset);
  if (rows.length === 0 && page.offset > 0) {
    // Past the end the window count is not there to read; count separately (rare).
    const [c] = await db
      .select({ n: count() })
      .from(advertisers)
      .where(and(...where));
    return { rows: [], total: Number(c?.n ?? 0) };
  }
  return {
    rows: rows.map((r) => ({ ...r.advertiser, linkCount: r.linkCount })),
    total: rows[0]?.total ?? 0,
  };
}

export async function updateAdvertiser(
  tx: Db,
  customerId: number,
  id: number,
  patch: Partial<NewAdvertiser>,
): Promise<AdvertiserRow | undefined> {
  const [row] = await tx
    .update(advertisers)
    .set({ ...patch, updatedAt: new Date() })
    .where(columnsEqual(advertisers, { customerId, id }))
    .returning();
  return row;
}

/** Linked accounts of several advertisers in one statement (list with includeAccounts). */
/** The account ids a customer linked (to any of its advertisers) on one storefront source. */
export async function linkedAccountsOf(
  db: Db,
  customerId: number,
  storefrontId: number,
  sourceId: string,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ accountId: advertiserAccounts.accountId })
    .from(advertiserAccounts)
    .where(columnsEqual(advertiserAccounts, { customerId, storefrontId, sourceId }));
  return rows.map((r) => r.accountId);
}

export async function linksOf(db: Db, customerId: number, advertiserIds: number[]) {
  if (advertiserIds.length === 0) return [];
  return db
    .select()
    .from(advertiserAccounts)
    .where(
      and(
        eq(advertiserAccounts.customerId, customerId),
        inArray(advertiserAccounts.advertiserId, advertiserIds),
      ),
    )
    .orderBy(asc(advertiserAccounts.advertiserId), asc(advertiserAccounts.id));
}

/** Adds links, leaving ones already there untouched (linkedAccounts only add). */
export async function insertLinks(tx: Db, rows: NewLink[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(advertiserAccounts).values(rows).onConflictDoNothing();
}

export async function findLink(
  db: Db,
  customerId: number,
  advertiserId: number,
  where: { linkId?: number; accountId?: string },
): Promise<LinkRow | undefined> {
  const conditions = [
    eq(advertiserAccounts.customerId, customerId),
    eq(advertiserAccounts.advertiserId, advertiserId),
  ];
  if (where.linkId !== undefined) conditions.push(eq(advertiserAccounts.id, where.linkId));
  if (where.accountId !== undefined) {
    conditions.push(eq(advertiserAccounts.accountId, where.accountId));
  }
  const [row] = await db
    .select()
    .from(advertiserAccounts)
    .where(and(...conditions))
    .orderBy(asc(advertiserAccounts.id))
    .limit(1);
  return row;
}

export async function deleteLink(tx: Db, customerId: number, advertiserId: number, id: number) {
  const rows = await tx
    .delete(advertiserAccounts)
    .where(columnsEqual(advertiserAccounts, { customerId, advertiserId, id }))
    .returning({ id: advertiserAccounts.id });
  return rows.length > 0;
}

export async function findMeasurement(db: Db, advertiserId: number) {
  const [row] = await db
    .select()
    .from(measurementConfigs)
    .where(eq(measurementConfigs.advertiserId, advertiserId));
  return row;
}

/** Creates or patches the singleton in one statement, so concurrent PUTs never clash. */
export async function upsertMeasurement(
  tx: Db,
  customerId: number,
  advertiserId: number,
  patch: Partial<typeof measurementConfigs.$inferInsert>,
): Promise<MeasurementRow> {
  const [row] = await tx
    .insert(measurementConfigs)
    .values({ ...patch, advertiserId, customerId })
    .onConflictDoUpdate({
      target: measurementConfigs.advertiserId,
      set: { ...patch, updatedAt: new Date() },
    })
    .returning();
  return row as MeasurementRow;
}

export async function brandCacheRows(db: Db, customerId: number, domains: string[]) {
  if (domains.length === 0) return [];
  return db
    .select()
    .from(brandCache)
    .where(and(eq(brandCache.customerId, customerId), inArray(brandCache.domain, domains)));
}

export async function saveBrandCache(db: Db, rows: BrandCacheRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(brandCache)
    .values(rows)
    .onConflictDoUpdate({
      target: [brandCache.customerId, brandCache.domain],
      set: {
        brand: sql`excluded.brand`,
        warning: sql`excluded.warning`,
        fetchedAt: sql`excluded.fetched_at`,
      },
    });
}
