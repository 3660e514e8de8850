import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { storefrontLinks as links } from './tables.js';

export type LinkRow = typeof links.$inferSelect;
export type LinkStatus = LinkRow['status'];

/**
 * Records a request, or renews one: a pair already PENDING or ACTIVE keeps its state; one
 * REJECTED or REVOKED is PENDING again. One statement, so two requests at once leave one row.
 */
export async function upsertRequest(
  db: Db,
  input: Pick<
    LinkRow,
    | 'upstreamStorefrontId'
    | 'requesterCustomerId'
    | 'downstreamAgentKey'
    | 'downstreamName'
    | 'downstreamStorefrontId'
    | 'downstreamUpstreams'
    | 'note'
  >,
): Promise<LinkRow> {
  const [row] = await db
    .insert(links)
    .values({ ...input, status: 'PENDING' })
    .onConflictDoUpdate({
      target: [links.upstreamStorefrontId, links.requesterCustomerId, links.downstreamAgentKey],
      set: {
        downstreamName: input.downstreamName,
        downstreamUpstreams: input.downstreamUpstreams,
        note: input.note,
        status: sql`case when ${links.status} in ('REJECTED', 'REVOKED') then 'PENDING' else ${links.status} end`,
        decidedBy: sql`case when ${links.status} in ('REJECTED', 'REVOKED') then null else ${links.decidedBy} end`,
        decidedAt: sql`case when ${links.status} in ('REJECTED', 'REVOKED') then null else ${links.decidedAt} end`,
        reason: sql`case when ${links.status} in ('REJECTED', 'REVOKED') then null else ${links.reason} end`,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row as LinkRow;
}

export async function findForUpstream(
  db: Db,
  upstreamStorefrontId: number,
  id: number,
): Promise<LinkRow | undefined> {
  const [row] = await db
    .select()
    .from(links)
    .where(columnsEqual(links, { id, upstreamStorefrontId }));
  return row;
}

export async function listForUpstream(
  db: Db,
  upstreamStorefrontId: number,
  statuses: LinkStatus[] | undefined,
): Promise<LinkRow[]> {
  const where = [eq(links.upstreamStorefrontId, upstreamStorefrontId)];
  if (statuses?.length) where.push(inArray(links.status, statuses));
  return db
    .select()
    .from(links)
    .where(and(...where))
    .orderBy(desc(links.id));
}

export async function listForRequester(db: Db, requesterCustomerId: number): Promise<LinkRow[]> {
  return db
    .select()
    .from(links)
    .where(eq(links.requesterCustomerId, requesterCustomerId))
    .orderBy(asc(links.id));
}

/** The link a requester holds with an upstream for one downstream agent, if any. */
export async function findPair(
  db: Db,
  upstreamStorefrontId: number,
  requesterCustomerId: number,
  downstreamAgentKey: string,
): Promise<LinkRow | undefined> {
  const [row] = await db
    .select()
    .from(links)
    .where(columnsEqual(links, { upstreamStorefrontId, requesterCustomerId, downstreamAgentKey }));
  return row;
}

/** Moves a link from one of `from` to `to`; undefined when it was in no such state. */
export async function transition(
  db: Db,
  id: number,
  from: LinkStatus[],
  to: LinkStatus,
  decision: { by: number; at: Date; reason: string | null },
): Promise<LinkRow | undefined> {
  const [row] = await db
    .update(links)
    .set({
      status: to,
      decidedBy: decision.by,
      decidedAt: decision.at,
      reason: decision.reason,
      updatedAt: decision.at,
    })
    .where(and(eq(links.id, id), inArray(links.status, from)))
    .returning();
  return row;
}

/** Links requested by the storefront agent `downstreamAgentKey` (the loop check's edges). */
export async function listByDownstream(db: Db, downstreamAgentKey: string): Promise<LinkRow[]> {
  return db
    .select()
    .from(links)
    .where(eq(links.downstreamAgentKey, downstreamAgentKey))
    .orderBy(asc(links.id));
}

/** The links asked for `upstreamStorefrontId` by the storefront agent `downstreamAgentKey`, newest decision first. */
export async function listForPair(
  db: Db,
  upstreamStorefrontId: number,
  downstreamAgentKey: string,
): Promise<LinkRow[]> {
  return db
    .select()
    .from(links)
    .where(columnsEqual(links, { upstreamStorefrontId, downstreamAgentKey }))
    .orderBy(desc(links.updatedAt));
}

/** Notes that a link carried a call, at most once a minute per link (a write per call is not worth it). */
export async function noteUsed(db: Db, id: number, at: Date): Promise<void> {
  await db
    .update(links)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(links.id, id),
        or(isNull(links.lastUsedAt), lt(links.lastUsedAt, new Date(at.getTime() - 60_000))),
      ),
    );
}
