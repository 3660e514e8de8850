import { and, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { storefrontCreatives } from './tables.js';

export type CreativeRow = typeof storefrontCreatives.$inferSelect;
export type NewCreative = typeof storefrontCreatives.$inferInsert;

/**
 * The creatives queue as stored: synced creatives, their review status the queue's state. A
 * purged creative is gone (AdCP 3.1 creative-purged-webhook.json: destruction, not a status): it
 * is no longer an item, in any status, and cannot be decided.
 */
export const reviewsQueue = {
  table: storefrontCreatives,
  state: 'status',
  live: (table: typeof storefrontCreatives) => isNull(table.purgedAt),
} as const;

/** The queue item that is this creative row (a review decision's `where`). */
export const creativeById = (id: CreativeRow['id']) => (table: typeof storefrontCreatives) =>
  eq(table.id, id);

/**
 * Inserts a synced creative, or replaces the payload of the one this buyer synced before under
 * the same creative id (another buyer's is another row). A re-sync keeps the review id and a
 * decided creative its decision (the buyer sees it); a pending one stays pending. A row given
 * status `archived` is the buyer withdrawing it: stored archived in this one statement. A
 * purged one synced again is a creative anew: its purge cleared, its status the new row's.
 */
export async function upsertCreative(
  db: Db,
  row: NewCreative,
): Promise<{ row: CreativeRow; created: boolean }> {
  const [result] = await db
    .insert(storefrontCreatives)
    .values(row)
    .onConflictDoUpdate({
      target: [
        storefrontCreatives.storefrontId,
        storefrontCreatives.buyerCustomerId,
        storefrontCreatives.creativeId,
      ],
      set: {
        submittedPayload: row.submittedPayload,
        mediaBuyId: row.mediaBuyId,
        // AdCP creative-status: a creative synced as archived is archived whatever its review
        // state, here in the same statement (no moment where it is stored but not archived); an
        // archived one synced again is unarchived and goes through the storefront's review mode
        // as a new one would.
        status: sql`case when excluded.status = 'archived' or ${storefrontCreatives.status} = 'archived' or ${storefrontCreatives.purgedAt} is not null then excluded.status else ${storefrontCreatives.status} end`,
        statusReason: sql`case when ${storefrontCreatives.purgedAt} is null then ${storefrontCreatives.statusReason} end`,
        reviewerNotes: sql`case when ${storefrontCreatives.purgedAt} is null then ${storefrontCreatives.reviewerNotes} end`,
        purgedAt: null,
        purgeKind: null,
        purgeReason: null,
        updatedAt: sql`now()`,
      },
    })
    .returning({ ...getTableColumns(storefrontCreatives), created: sql<boolean>`xmax = 0` });
  const { created, ...saved } = result!;
  return { row: saved, created: Boolean(created) };
}

/**
 * A buyer's creatives on a storefront (these ids, or all), newest first; purged ones only when
 * `withPurged` (a purged creative is gone but for its tombstone and the buys it leaves).
 */
export function listCreativesOf(
  db: Db,
  storefrontId: number,
  customerId: number,
  creativeIds?: string[],
  withPurged = false,
): Promise<CreativeRow[]> {
  return db
    .select()
    .from(storefrontCreatives)
    .where(
      and(
        eq(storefrontCreatives.storefrontId, storefrontId),
        eq(storefrontCreatives.buyerCustomerId, customerId),
        creativeIds ? inArray(storefrontCreatives.creativeId, creativeIds) : undefined,
        withPurged ? undefined : isNull(storefrontCreatives.purgedAt),
      ),
    )
    .orderBy(desc(storefrontCreatives.createdAt), desc(storefrontCreatives.id));
}

/** A creative review by its own id (`crv_…`), on this storefront only. */
export async function findReview(
  db: Db,
  storefrontId: number,
  reviewId: string,
): Promise<CreativeRow | undefined> {
  const [row] = await db
    .select()
    .from(storefrontCreatives)
    .where(columnsEqual(storefrontCreatives, { storefrontId, reviewId }));
  return row;
}

export async function updateCreative(
  db: Db,
  id: number,
  patch: Partial<NewCreative>,
): Promise<void> {
  await db
    .update(storefrontCreatives)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(storefrontCreatives.id, id));
}
