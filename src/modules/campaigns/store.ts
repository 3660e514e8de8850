import {
  and,
  asc,
  desc,
  eq,
  ilike,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type SQL,
  TransactionRollbackError,
} from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { likeContaining } from '../../platform/db/like.js';
import type { CampaignStatus, MediaBuyStatus } from './status/statuses.js';
import { campaignMediaBuys, campaigns } from './tables.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;
export type MediaBuyRow = typeof campaignMediaBuys.$inferSelect;
export type NewMediaBuy = typeof campaignMediaBuys.$inferInsert;

/** A claim older than this is taken to belong to a request that died mid-call. */
const staleClaimMs = 5 * 60_000;

export async function insertCampaign(db: Db, row: NewCampaign): Promise<CampaignRow> {
  const [inserted] = await db.insert(campaigns).values(row).returning();
  return inserted as CampaignRow;
}

/** The customer's campaign; another customer's reads as missing. */
export async function findCampaign(db: Db, customerId: number, id: string) {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(columnsEqual(campaigns, { id, customerId }));
  return row;
}

export async function pageCampaigns(
  db: Db,
  customerId: number,
  filter: {
    advertiserId?: number;
    statuses?: CampaignStatus[];
    name?: string;
    /** Only campaigns with at least one media buy in one of these statuses. */
    mediaBuyStatuses?: MediaBuyStatus[];
  },
  page: { take: number; skip: number },
) {
  const where: SQL[] = [eq(campaigns.customerId, customerId)];
  if (filter.advertiserId !== undefined)
    where.push(eq(campaigns.advertiserId, filter.advertiserId));
  if (filter.statuses?.length) where.push(inArray(campaigns.status, filter.statuses));
  if (filter.mediaBuyStatuses?.length) {
    where.push(
      sql`exists (select 1 from ${campaignMediaBuys} where ${campaignMediaBuys.campaignId} = ${campaigns.id} and ${inArray(campaignMediaBuys.status, filter.mediaBuyStatuses)})`,
    );
  }
  if (filter.name) {
    where.push(ilike(campaigns.name, likeContaining(filter.name)));
  }
  const rows = await db
    .select({ row: campaigns, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(campaigns)
    .where(and(...where))
    .orderBy(desc(campaigns.createdAt), asc(campaigns.id))
    .limit(page.take)
    .offset(page.skip);
  const total =
    rows[0]?.total ??
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(campaigns)
        .where(and(...where))
    )[0]?.n ??
    0;
  return { rows: rows.map((r) => r.row), total };
}

export async function updateCampaign(
  db: Db,
  id: string,
  patch: Partial<NewCampaign>,
): Promise<CampaignRow> {
  const [row] = await db
    .update(campaigns)
    .set({ ...patch, updatedAt: new Date(), revision: sql`${campaigns.revision} + 1` })
    .where(eq(campaigns.id, id))
    .returning();
  return row as CampaignRow;
}

/**
 * Deletes a campaign with its unplaced buy records (DRAFT/FAILED, none being placed), in one
 * transaction; answers false and deletes nothing when any other buy exists.
 */
export async function deleteCampaign(db: Db, id: string): Promise<boolean> {
  return db
    .transaction(async (tx) => {
      await tx
        .delete(campaignMediaBuys)
        .where(
          and(
            eq(campaignMediaBuys.campaignId, id),
            inArray(campaignMediaBuys.status, ['DRAFT', 'FAILED']),
            isNull(campaignMediaBuys.claimToken),
          ),
        );
      const [left] = await tx
        .select({ id: campaignMediaBuys.id })
        .from(campaignMediaBuys)
        .where(eq(campaignMediaBuys.campaignId, id))
        .limit(1)
        .for('update');
      if (left) {
        tx.rollback();
      }
      await tx.delete(campaigns).where(eq(campaigns.id, id));
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
}

export async function buysOfCampaigns(db: Db, campaignIds: string[]): Promise<MediaBuyRow[]> {
  if (campaignIds.length === 0) return [];
  return db
    .select()
    .from(campaignMediaBuys)
    .where(inArray(campaignMediaBuys.campaignId, campaignIds))
    .orderBy(asc(campaignMediaBuys.createdAt), asc(campaignMediaBuys.id));
}

/** The customer's media buy; another customer's reads as missing. */
export async function findMediaBuy(db: Db, customerId: number, id: string) {
  const [row] = await db
    .select()
    .from(campaignMediaBuys)
    .where(columnsEqual(campaignMediaBuys, { id, customerId }));
  return row;
}

export async function pageMediaBuys(
  db: Db,
  customerId: number,
  advertiserId: number,
  page: { limit: number; offset: number },
  statuses?: MediaBuyStatus[],
) {
  const where = and(
    eq(campaignMediaBuys.customerId, customerId),
    eq(campaignMediaBuys.advertiserId, advertiserId),
    statuses?.length ? inArray(campaignMediaBuys.status, statuses) : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(campaignMediaBuys)
      .where(where)
      .orderBy(desc(campaignMediaBuys.createdAt), asc(campaignMediaBuys.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(campaignMediaBuys)
      .where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/**
 * Claims the (campaign, agent) buy for one request: inserts it if it is new, or takes it if it
 * is DRAFT/FAILED and nobody holds it (or the holder died). Answers the claimed row, or
 * undefined when the buy is placed already or another request is placing it. One statement
 * each, so concurrent executes on any number of instances book once per agent.
 */
export async function claimMediaBuy(
  db: Db,
  fresh: NewMediaBuy & { claimToken: string },
  now: Date,
): Promise<MediaBuyRow | undefined> {
  const inserted = await db
    .insert(campaignMediaBuys)
    .values({ ...fresh, claimedAt: now })
    .onConflictDoNothing({ target: [campaignMediaBuys.campaignId, campaignMediaBuys.salesAgentId] })
    .returning();
  if (inserted[0]) return inserted[0];
  const [claimed] = await db
    .update(campaignMediaBuys)
    .set({
      claimToken: fresh.claimToken,
      claimedAt: now,
      // A retry books what is selected now (the frozen copy is replaced only while unplaced).
      packages: fresh.packages,
      budget: fresh.budget,
      account: fresh.account,
      startTime: fresh.startTime,
      endTime: fresh.endTime,
      updatedAt: now,
    })
    .where(
      and(
        eq(campaignMediaBuys.campaignId, fresh.campaignId),
        eq(campaignMediaBuys.salesAgentId, fresh.salesAgentId),
        inArray(campaignMediaBuys.status, ['DRAFT', 'FAILED']),
        or(
          isNull(campaignMediaBuys.claimToken),
          lt(campaignMediaBuys.claimedAt, new Date(now.getTime() - staleClaimMs)),
        ),
      ),
    )
    .returning();
  return claimed;
}

/** Records the outcome of a claimed call and releases the claim (only the holder may). */
export async function settleClaim(
  db: Db,
  id: string,
  claimToken: string,
  patch: Partial<NewMediaBuy>,
): Promise<MediaBuyRow | undefined> {
  const [row] = await db
    .update(campaignMediaBuys)
    .set({
      ...patch,
      claimToken: null,
      claimedAt: null,
      attempts: sql`${campaignMediaBuys.attempts} + 1`,
      updatedAt: new Date(),
    })
    .where(columnsEqual(campaignMediaBuys, { id, claimToken }))
    .returning();
  return row;
}

export async function updateMediaBuy(
  db: Db,
  id: string,
  patch: Partial<NewMediaBuy>,
): Promise<MediaBuyRow> {
  const [row] = await db
    .update(campaignMediaBuys)
    .set({ ...patch, updatedAt: new Date(), revision: sql`${campaignMediaBuys.revision} + 1` })
    .where(eq(campaignMediaBuys.id, id))
    .returning();
  return row as MediaBuyRow;
}

/**
 * Marks the buy with the write being sent (buys/pending-writes.ts) without counting a revision:
 * the keys of its writes carry the revision.
 */
export async function markMediaBuyPending(
  db: Db,
  id: string,
  patch: Partial<NewMediaBuy>,
): Promise<void> {
  await db
    .update(campaignMediaBuys)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(campaignMediaBuys.id, id));
}
