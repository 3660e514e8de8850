import { and, asc, eq, inArray, isNotNull, lte, min, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import { campaignMediaBuys, type BuyerTaskStatus, mediaBuyTasks } from '../tables.js';

export type BuyerTaskRow = typeof mediaBuyTasks.$inferSelect;

/** Any customer's buy by id: only for verified push notifications, which name the buy in the URL. */
export async function findMediaBuyById(db: Db, id: string): Promise<MediaBuyRow | undefined> {
  const [row] = await db.select().from(campaignMediaBuys).where(eq(campaignMediaBuys.id, id));
  return row;
}

/** The seller's buy ids the customer's buys on an agent already record (a lost create's look-up). */
export async function sellerIdsOnAgent(db: Db, customerId: number, agentId: string) {
  const rows = await db
    .select({ id: campaignMediaBuys.sellerMediaBuyId })
    .from(campaignMediaBuys)
    .where(
      and(
        eq(campaignMediaBuys.customerId, customerId),
        eq(campaignMediaBuys.salesAgentId, agentId),
        isNotNull(campaignMediaBuys.sellerMediaBuyId),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Takes up to `limit` of the customer's buys on an agent whose look is due, pushing their due
 * time `leaseSeconds` on in the same statement: concurrent looks (any instance) never take one
 * buy twice, and a look that dies leaves its buys due again once the lease runs out.
 */
export async function claimDueBuys(
  db: Db,
  customerId: number,
  agentId: string,
  now: Date,
  leaseSeconds: number,
  limit: number,
): Promise<MediaBuyRow[]> {
  const due = db
    .select({ id: campaignMediaBuys.id })
    .from(campaignMediaBuys)
    .where(
      and(
        eq(campaignMediaBuys.customerId, customerId),
        eq(campaignMediaBuys.salesAgentId, agentId),
        lte(campaignMediaBuys.syncDueAt, now),
      ),
    )
    .orderBy(asc(campaignMediaBuys.syncDueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(campaignMediaBuys)
    .set({ syncDueAt: new Date(now.getTime() + leaseSeconds * 1000) })
    .where(and(inArray(campaignMediaBuys.id, due), lte(campaignMediaBuys.syncDueAt, now)))
    .returning();
}

/** When the next look at the customer's buys on the agent is due; null when none is followed. */
export async function nextDueAt(db: Db, customerId: number, agentId: string): Promise<Date | null> {
  const [row] = await db
    .select({ due: min(campaignMediaBuys.syncDueAt) })
    .from(campaignMediaBuys)
    .where(columnsEqual(campaignMediaBuys, { customerId, salesAgentId: agentId }));
  return row?.due ? new Date(row.due) : null;
}

/** Every (customer, agent) with a followed buy, and its earliest due look. */
export async function followedAgents(db: Db) {
  const rows = await db
    .select({
      customerId: campaignMediaBuys.customerId,
      agentId: campaignMediaBuys.salesAgentId,
      due: min(campaignMediaBuys.syncDueAt),
    })
    .from(campaignMediaBuys)
    .where(isNotNull(campaignMediaBuys.syncDueAt))
    .groupBy(campaignMediaBuys.customerId, campaignMediaBuys.salesAgentId)
    .orderBy(asc(campaignMediaBuys.customerId), asc(campaignMediaBuys.salesAgentId));
  return rows.map((r) => ({ ...r, due: r.due ? new Date(r.due) : new Date() }));
}

/**
 * Applies a change to a buy only if nobody changed it since `revision` was read (answers
 * undefined otherwise): what one look or notification learned is applied once.
 */
export async function updateMediaBuyAt(
  db: Db,
  id: string,
  revision: number,
  patch: Partial<NewMediaBuy>,
): Promise<MediaBuyRow | undefined> {
  const [row] = await db
    .update(campaignMediaBuys)
    .set({ ...patch, updatedAt: new Date(), revision: sql`${campaignMediaBuys.revision} + 1` })
    .where(columnsEqual(campaignMediaBuys, { id, revision }))
    .returning();
  return row;
}

/** Sets when the buy is looked at next (no revision: bookkeeping, not a change of the buy). */
export async function scheduleLook(
  db: Db,
  id: string,
  patch: Pick<NewMediaBuy, 'syncDueAt' | 'syncRound' | 'syncedAt'>,
): Promise<void> {
  await db.update(campaignMediaBuys).set(patch).where(eq(campaignMediaBuys.id, id));
}

/**
 * Sets when each buy is looked at next, in one statement (a look reschedules all its buys);
 * `heardAt` is set on the buys whose seller answered about them.
 */
export async function scheduleLooks(
  db: Db,
  looks: Array<{ id: string; dueAt: Date | null; round: number; heard: boolean }>,
  heardAt: Date,
): Promise<void> {
  if (looks.length === 0) return;
  const values = sql.join(
    looks.map(
      (l) =>
        sql`(${l.id}, ${l.dueAt?.toISOString() ?? null}::timestamptz, ${l.round}::int, ${l.heard}::boolean)`,
    ),
    sql`, `,
  );
  await db.execute(sql`
    update ${campaignMediaBuys} set
      sync_due_at = v.due,
      sync_round = v.round,
      synced_at = case when v.heard then ${heardAt.toISOString()}::timestamptz else ${campaignMediaBuys.syncedAt} end
    from (values ${values}) as v(id, due, round, heard)
    where ${campaignMediaBuys.id} = v.id`);
}

export async function insertTask(db: Db, row: typeof mediaBuyTasks.$inferInsert): Promise<void> {
  await db.insert(mediaBuyTasks).values(row);
}

export async function findTask(
  db: Db,
  customerId: number,
  id: string,
): Promise<BuyerTaskRow | undefined> {
  const [row] = await db
    .select()
    .from(mediaBuyTasks)
    .where(columnsEqual(mediaBuyTasks, { id, customerId }));
  return row;
}

/** The open (not completed or failed) tasks of the buys, oldest first. */
export async function openTasksOf(db: Db, mediaBuyIds: string[]): Promise<BuyerTaskRow[]> {
  if (mediaBuyIds.length === 0) return [];
  return db
    .select()
    .from(mediaBuyTasks)
    .where(
      and(
        inArray(mediaBuyTasks.mediaBuyId, mediaBuyIds),
        sql`${mediaBuyTasks.status} not in ('completed', 'failed')`,
      ),
    )
    .orderBy(asc(mediaBuyTasks.createdAt), asc(mediaBuyTasks.id));
}

/** Moves an open task on; a settled task keeps its outcome. */
export async function updateTask(
  db: Db,
  id: string,
  patch: {
    status: BuyerTaskStatus;
    response?: Record<string, unknown> | null;
    error?: Record<string, unknown> | null;
  },
): Promise<void> {
  await db
    .update(mediaBuyTasks)
    .set({ ...patch, updatedAt: new Date() })
    .where(
      and(eq(mediaBuyTasks.id, id), sql`${mediaBuyTasks.status} not in ('completed', 'failed')`),
    );
}
