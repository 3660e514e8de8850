import { and, asc, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { likeContaining } from '../../platform/db/like.js';
import { campaignCreatives, creativeAssets, creativePlacements } from './tables.js';

export type AssetRow = typeof creativeAssets.$inferSelect;
export type NewAsset = typeof creativeAssets.$inferInsert;
export type CreativeRow = typeof campaignCreatives.$inferSelect;
export type NewCreative = typeof campaignCreatives.$inferInsert;
export type PlacementRow = typeof creativePlacements.$inferSelect;

export async function insertAsset(db: Db, row: NewAsset): Promise<AssetRow> {
  const [inserted] = await db.insert(creativeAssets).values(row).returning();
  return inserted as AssetRow;
}

/** Any asset by id: for signed links only, whose signature is the authority. */
export async function findAssetById(db: Db, id: string) {
  const [row] = await db.select().from(creativeAssets).where(eq(creativeAssets.id, id));
  return row;
}

/** The customer's assets among `ids`; another customer's are simply absent. */
export function assetsOf(db: Db, customerId: number, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as AssetRow[]);
  return db
    .select()
    .from(creativeAssets)
    .where(and(eq(creativeAssets.customerId, customerId), inArray(creativeAssets.id, ids)));
}

export async function insertCreative(db: Db, row: NewCreative): Promise<CreativeRow> {
  const [inserted] = await db.insert(campaignCreatives).values(row).returning();
  return inserted as CreativeRow;
}

/** The customer's creative under the campaign; anything else reads as missing. */
export async function findCreative(db: Db, customerId: number, campaignId: string, id: string) {
  const [row] = await db
    .select()
    .from(campaignCreatives)
    .where(columnsEqual(campaignCreatives, { id, customerId, campaignId }));
  return row;
}

export async function pageCreatives(
  db: Db,
  customerId: number,
  campaignId: string,
  filter: {
    search?: string | undefined;
    formatKind?: string | undefined;
    assetType?: string | undefined;
    dimensions?: { width: number; height: number } | undefined;
  },
  page: { take: number; skip: number },
) {
  const where: SQL[] = [
    eq(campaignCreatives.customerId, customerId),
    eq(campaignCreatives.campaignId, campaignId),
  ];
  if (filter.search) {
    where.push(ilike(campaignCreatives.name, likeContaining(filter.search)));
  }
  if (filter.formatKind) where.push(eq(campaignCreatives.formatKind, filter.formatKind));
  // Slots are a jsonb array; containment finds one slot with these fields.
  if (filter.assetType) {
    where.push(
      sql`${campaignCreatives.slots} @> ${JSON.stringify([{ assetType: filter.assetType }])}::jsonb`,
    );
  }
  if (filter.dimensions) {
    where.push(sql`${campaignCreatives.slots} @> ${JSON.stringify([filter.dimensions])}::jsonb`);
  }
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(campaignCreatives)
      .where(and(...where))
      .orderBy(desc(campaignCreatives.createdAt), asc(campaignCreatives.id))
      .limit(page.take)
      .offset(page.skip),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(campaignCreatives)
      .where(and(...where)),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** Every creative of the campaign, oldest first (the order they are sent in). */
export function creativesOfCampaign(db: Db, customerId: number, campaignId: string) {
  return db
    .select()
    .from(campaignCreatives)
    .where(columnsEqual(campaignCreatives, { customerId, campaignId }))
    .orderBy(asc(campaignCreatives.createdAt), asc(campaignCreatives.id));
}

/** Applies a change and bumps the revision, in one statement. */
/**
 * Updates a creative no delete is withdrawing; undefined when there is none (deleted, or
 * marked withdrawing meanwhile). The condition is in the statement, so an update racing a
 * delete either lands before the mark or not at all.
 */
export async function updateCreative(
  db: Db,
  id: string,
  patch: Partial<NewCreative>,
): Promise<CreativeRow | undefined> {
  const [row] = await db
    .update(campaignCreatives)
    .set({ ...patch, revision: sql`${campaignCreatives.revision} + 1`, updatedAt: new Date() })
    .where(and(eq(campaignCreatives.id, id), isNull(campaignCreatives.withdrawingSince)))
    .returning();
  return row;
}

/**
 * Claims the creative's withdrawal for one delete and marks it as being withdrawn (the mark is
 * kept from an earlier attempt). Answers the row; undefined when another delete holds a claim
 * made after `staleBefore`, or the creative is gone. In one conditional statement, so of two
 * concurrent deletes exactly one asks the sellers.
 */
export async function claimWithdrawal(
  db: Db,
  customerId: number,
  id: string,
  at: Date,
  staleBefore: Date,
): Promise<CreativeRow | undefined> {
  const [row] = await db
    .update(campaignCreatives)
    .set({
      withdrawingSince: sql`coalesce(${campaignCreatives.withdrawingSince}, ${at})`,
      withdrawalClaimedAt: at,
    })
    .where(
      and(
        eq(campaignCreatives.id, id),
        eq(campaignCreatives.customerId, customerId),
        or(
          isNull(campaignCreatives.withdrawalClaimedAt),
          lt(campaignCreatives.withdrawalClaimedAt, staleBefore),
        ),
      ),
    )
    .returning();
  return row;
}

/** Ends a delete's claim (the creative stays marked as being withdrawn). */
export async function releaseWithdrawal(
  db: Db,
  customerId: number,
  id: string,
  at: Date,
): Promise<void> {
  await db
    .update(campaignCreatives)
    .set({ withdrawalClaimedAt: null })
    .where(columnsEqual(campaignCreatives, { id, customerId, withdrawalClaimedAt: at }));
}

/** Whether the customer's creative is still there. */
export async function creativeExists(db: Db, customerId: number, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: campaignCreatives.id })
    .from(campaignCreatives)
    .where(columnsEqual(campaignCreatives, { id, customerId }));
  return row !== undefined;
}

/** Deletes the creative and its placements; answers whether it was there. */
export async function deleteCreative(db: Db, customerId: number, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(campaignCreatives)
      .where(columnsEqual(campaignCreatives, { id, customerId }))
      .returning({ id: campaignCreatives.id });
    await tx
      .delete(creativePlacements)
      .where(columnsEqual(creativePlacements, { creativeId: id, customerId }));
    return gone.length > 0;
  });
}

export function placementsOf(db: Db, customerId: number, creativeIds: string[]) {
  if (creativeIds.length === 0) return Promise.resolve([] as PlacementRow[]);
  return db
    .select()
    .from(creativePlacements)
    .where(
      and(
        eq(creativePlacements.customerId, customerId),
        inArray(creativePlacements.creativeId, creativeIds),
      ),
    )
    .orderBy(asc(creativePlacements.agentId));
}

/** Records what one agent said of a creative (insert or replace). */
export async function savePlacement(db: Db, row: PlacementRow): Promise<void> {
  const { creativeId: _c, agentId: _a, ...rest } = row;
  await db
    .insert(creativePlacements)
    .values(row)
    .onConflictDoUpdate({
      target: [creativePlacements.creativeId, creativePlacements.agentId],
      set: rest,
    });
}

/** A review status learned later (list_creatives), without touching the sync record. */
export async function saveReview(
  db: Db,
  key: { creativeId: string; agentId: string },
  review: { approvalStatus: string; reason: string | null },
): Promise<void> {
  await db
    .update(creativePlacements)
    .set(review)
    .where(columnsEqual(creativePlacements, { creativeId: key.creativeId, agentId: key.agentId }));
}
