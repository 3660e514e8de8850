import { and, asc, eq, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { MemberToAdd } from './identifiers.js';
import {
  advertiserAudiences,
  audienceDeliveries,
  audienceMembers,
  audienceSyncTasks,
  type AudienceStatus,
  campaignAudiences,
  type CampaignAudienceType,
} from './tables.js';

export type AudienceRow = typeof advertiserAudiences.$inferSelect;
export type SyncTaskRow = typeof audienceSyncTasks.$inferSelect;
export type NewSyncTask = typeof audienceSyncTasks.$inferInsert;

/** Inserts the task, or answers the one already holding the customer's idempotency key. */
export async function insertTask(db: Db, task: NewSyncTask): Promise<SyncTaskRow> {
  const [inserted] = await db
    .insert(audienceSyncTasks)
    .values(task)
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(audienceSyncTasks)
    .where(
      columnsEqual(audienceSyncTasks, {
        customerId: task.customerId,
        idempotencyKey: task.idempotencyKey ?? '',
      }),
    );
  if (!existing) throw new Error('audience sync task neither inserted nor found');
  return existing;
}

export async function findTask(
  db: Db,
  customerId: number,
  id: string,
): Promise<SyncTaskRow | undefined> {
  const [row] = await db
    .select()
    .from(audienceSyncTasks)
    .where(columnsEqual(audienceSyncTasks, { id, customerId }));
  return row;
}

/**
 * Takes the task for one run: open (submitted or working) and held by no live run. The lease is
 * pushed on in the same statement, so two runs never take it at once; a run that dies leaves it
 * to the next once the lease lapses.
 */
export async function claimTask(
  db: Db,
  id: string,
  now: Date,
  leaseSeconds: number,
): Promise<SyncTaskRow | undefined> {
  const [row] = await db
    .update(audienceSyncTasks)
    .set({
      status: 'working',
      leaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
      updatedAt: now,
    })
    .where(
      and(
        eq(audienceSyncTasks.id, id),
        inArray(audienceSyncTasks.status, ['submitted', 'working']),
        or(isNull(audienceSyncTasks.leaseUntil), lt(audienceSyncTasks.leaseUntil, now)),
      ),
    )
    .returning();
  return row;
}

/** Records progress (and renews the lease) within the transaction that did the work. */
export async function advanceTask(
  tx: Db,
  id: string,
  patch: Partial<Pick<SyncTaskRow, 'cursor' | 'progress'>>,
  now: Date,
  leaseSeconds: number,
): Promise<void> {
  await tx
    .update(audienceSyncTasks)
    .set({ ...patch, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
    .where(eq(audienceSyncTasks.id, id));
}

export async function settleTask(
  db: Db,
  id: string,
  patch: Pick<SyncTaskRow, 'status'> &
    Partial<Pick<SyncTaskRow, 'response' | 'error' | 'progress'>>,
  now: Date,
): Promise<void> {
  await db
    .update(audienceSyncTasks)
    .set({ ...patch, leaseUntil: null, updatedAt: now })
    .where(eq(audienceSyncTasks.id, id));
}

export async function taskStatus(db: Db, id: string) {
  const [row] = await db
    .select({ status: audienceSyncTasks.status })
    .from(audienceSyncTasks)
    .where(eq(audienceSyncTasks.id, id));
  return row?.status;
}

/** Lets go of a task a run gave up on (it stays open for the next run). */
export async function releaseTask(db: Db, id: string): Promise<void> {
  await db.update(audienceSyncTasks).set({ leaseUntil: null }).where(eq(audienceSyncTasks.id, id));
}

/** Tasks not finished, whatever instance queued them (handed to the queue again on start). */
export async function openTaskIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: audienceSyncTasks.id })
    .from(audienceSyncTasks)
    .where(inArray(audienceSyncTasks.status, ['submitted', 'working']))
    .orderBy(asc(audienceSyncTasks.createdAt));
  return rows.map((r) => r.id);
}

/** Creates or updates an audience's name and consent basis; a synced audience is live again. */
export async function upsertAudience(
  tx: Db,
  values: {
    customerId: number;
    advertiserId: number;
    audienceId: string;
    name?: string | undefined;
    consentBasis?: string | undefined;
    deleted: boolean;
  },
  now: Date,
): Promise<AudienceRow> {
  const [row] = await tx
    .insert(advertiserAudiences)
    .values({
      customerId: values.customerId,
      advertiserId: values.advertiserId,
      audienceId: values.audienceId,
      name: values.name ?? null,
      consentBasis: values.consentBasis ?? null,
      status: 'PROCESSING',
      deleted: values.deleted,
    })
    .onConflictDoUpdate({
      target: [advertiserAudiences.advertiserId, advertiserAudiences.audienceId],
      set: {
        ...(values.name !== undefined && { name: values.name }),
        ...(values.consentBasis !== undefined && { consentBasis: values.consentBasis }),
        status: 'PROCESSING',
        deleted: values.deleted,
        updatedAt: now,
      },
    })
    .returning();
  if (!row) throw new Error('audience upsert answered no row');
  return row;
}

export async function findAudience(
  db: Db,
  advertiserId: number,
  audienceId: string,
): Promise<AudienceRow | undefined> {
  const [row] = await db
    .select()
    .from(advertiserAudiences)
    .where(columnsEqual(advertiserAudiences, { advertiserId, audienceId }));
  return row;
}

/** Adds members; one already held (same external id) takes the new identifiers. */
export async function addMembers(tx: Db, audienceRowId: number, members: MemberToAdd[]) {
  if (members.length === 0) return;
  // One row per external id within a statement (ON CONFLICT cannot touch a row twice).
  const byId = new Map(members.map((m) => [m.externalId, m]));
  await tx
    .insert(audienceMembers)
    .values([...byId.values()].map((m) => ({ audienceRowId, ...m })))
    .onConflictDoUpdate({
      target: [audienceMembers.audienceRowId, audienceMembers.externalId],
      set: {
        hashedEmail: sql`excluded.hashed_email`,
        hashedPhone: sql`excluded.hashed_phone`,
        uids: sql`excluded.uids`,
      },
    });
}

export async function removeMembers(tx: Db, audienceRowId: number, externalIds: string[]) {
  if (externalIds.length === 0) return;
  await tx
    .delete(audienceMembers)
    .where(
      and(
        eq(audienceMembers.audienceRowId, audienceRowId),
        inArray(audienceMembers.externalId, externalIds),
      ),
    );
}

export async function clearMembers(tx: Db, audienceRowId: number) {
  await tx.delete(audienceMembers).where(eq(audienceMembers.audienceRowId, audienceRowId));
}

export async function memberCount(db: Db, audienceRowId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(audienceMembers)
    .where(eq(audienceMembers.audienceRowId, audienceRowId));
  return row?.n ?? 0;
}

/** deleteMissing: the advertiser's live audiences the request does not name are deleted. */
export async function deleteOthers(
  db: Db,
  advertiserId: number,
  keep: string[],
  now: Date,
): Promise<AudienceRow[]> {
  return db
    .update(advertiserAudiences)
    .set({ deleted: true, updatedAt: now })
    .where(
      and(
        eq(advertiserAudiences.advertiserId, advertiserId),
        eq(advertiserAudiences.deleted, false),
        notInArray(advertiserAudiences.audienceId, keep),
      ),
    )
    .returning();
}

export async function setOutcome(
  db: Db,
  audienceRowId: number,
  patch: { status: AudienceStatus; uploadedCount: number; matchedCount: number | null },
  now: Date,
) {
  await db
    .update(advertiserAudiences)
    .set({ ...patch, updatedAt: now })
    .where(eq(advertiserAudiences.id, audienceRowId));
}

export async function pageAudiences(
  db: Db,
  advertiserId: number,
  page: { take: number; skip: number },
): Promise<{ rows: AudienceRow[]; total: number }> {
  const where = eq(advertiserAudiences.advertiserId, advertiserId);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(advertiserAudiences)
      .where(where)
      .orderBy(asc(advertiserAudiences.audienceId))
      .limit(page.take)
      .offset(page.skip),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(advertiserAudiences)
      .where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

export async function recordDelivery(
  db: Db,
  audienceRowId: number,
  salesAgentId: string,
  seller: { status: string | null; matchedCount: number | null },
  now: Date,
) {
  await db
    .insert(audienceDeliveries)
    .values({
      audienceRowId,
      salesAgentId,
      sellerStatus: seller.status,
      matchedCount: seller.matchedCount,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [audienceDeliveries.audienceRowId, audienceDeliveries.salesAgentId],
      set: { sellerStatus: seller.status, matchedCount: seller.matchedCount, updatedAt: now },
    });
}

/** The agents holding each of these audiences. */
export async function deliveriesOf(db: Db, audienceRowIds: number[]) {
  if (audienceRowIds.length === 0) return [];
  return db
    .select()
    .from(audienceDeliveries)
    .where(inArray(audienceDeliveries.audienceRowId, audienceRowIds));
}

/** The advertiser's audiences with these ids (deleted ones included). */
export async function audiencesByIds(
  db: Db,
  advertiserId: number,
  audienceIds: string[],
): Promise<AudienceRow[]> {
  if (audienceIds.length === 0) return [];
  return db
    .select()
    .from(advertiserAudiences)
    .where(
      and(
        eq(advertiserAudiences.advertiserId, advertiserId),
        inArray(advertiserAudiences.audienceId, audienceIds),
      ),
    );
}

export type CampaignAudienceRow = {
  type: CampaignAudienceType;
  enabledAt: Date;
  audience: AudienceRow;
};

export async function campaignAudiencesOf(
  db: Db,
  campaignId: string,
): Promise<CampaignAudienceRow[]> {
  const rows = await db
    .select({
      type: campaignAudiences.type,
      enabledAt: campaignAudiences.enabledAt,
      audience: advertiserAudiences,
    })
    .from(campaignAudiences)
    .innerJoin(advertiserAudiences, eq(advertiserAudiences.id, campaignAudiences.audienceRowId))
    .where(eq(campaignAudiences.campaignId, campaignId))
    .orderBy(asc(campaignAudiences.type), asc(advertiserAudiences.audienceId));
  return rows;
}

/**
 * Sets a campaign's audiences: with `replace`, the lists are the whole set; otherwise they are
 * added (an audience named again takes its new type).
 */
export async function setCampaignAudiences(
  db: Db,
  campaignId: string,
  entries: Array<{ audienceRowId: number; type: CampaignAudienceType }>,
  replace: boolean,
) {
  await db.transaction(async (tx) => {
    if (replace)
      await tx.delete(campaignAudiences).where(eq(campaignAudiences.campaignId, campaignId));
    if (entries.length === 0) return;
    await tx
      .insert(campaignAudiences)
      .values(entries.map((e) => ({ campaignId, ...e })))
      .onConflictDoUpdate({
        target: [campaignAudiences.campaignId, campaignAudiences.audienceRowId],
        set: { type: sql`excluded.type` },
      });
  });
}
