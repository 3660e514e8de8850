import { and, asc, eq, inArray, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { type IntentOutcome, sellerWriteIntents } from './tables.js';

export type IntentRow = typeof sellerWriteIntents.$inferSelect;
export type NewIntent = typeof sellerWriteIntents.$inferInsert;

const t = sellerWriteIntents;
const unleased = (now: Date) => or(isNull(t.leaseUntil), lt(t.leaseUntil, now));

/**
 * Records an intent held by its caller. A write of the same kind, target and key that settled
 * before (a refused buy executed again) is reopened with the new request; one still open is
 * answered as it is, not held: its outcome must be established before anything is sent again.
 */
export async function begin(
  db: Db,
  row: NewIntent & { leaseToken: string; leaseUntil: Date },
  now: Date,
): Promise<{ row: IntentRow; held: boolean }> {
  const [fresh] = await db
    .insert(t)
    .values({ ...row, attempts: 1, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [t.kind, t.target, t.idempotencyKey] })
    .returning();
  if (fresh) return { row: fresh, held: true };
  const key = columnsEqual(t, {
    kind: row.kind,
    target: row.target,
    idempotencyKey: row.idempotencyKey,
  });
  const [reopened] = await db
    .update(t)
    .set({
      subjectId: row.subjectId,
      customerId: row.customerId,
      tool: row.tool,
      request: row.request,
      expect: row.expect ?? null,
      state: 'open',
      outcome: null,
      attempts: 1,
      leaseToken: row.leaseToken,
      leaseUntil: row.leaseUntil,
      dueAt: row.dueAt,
      lastError: null,
      settledAt: null,
      updatedAt: now,
    })
    .where(and(key, eq(t.state, 'settled')))
    .returning();
  if (reopened) return { row: reopened, held: true };
  const [open] = await db.select().from(t).where(key);
  if (!open) throw new Error('seller write intent vanished while it was begun');
  return { row: open, held: false };
}

/** What taking an intent writes: the new lease, one more attempt. */
const taken = (lease: { token: string; until: Date }, now: Date) => ({
  leaseToken: lease.token,
  leaseUntil: lease.until,
  attempts: sql`${t.attempts} + 1`,
  updatedAt: now,
});

/** Takes an open intent nobody holds (its holder died or gave up): answers it held, or nothing. */
export async function takeOver(
  db: Db,
  id: string,
  lease: { token: string; until: Date },
  now: Date,
): Promise<IntentRow | undefined> {
  const [row] = await db
    .update(t)
    .set(taken(lease, now))
    .where(and(eq(t.id, id), eq(t.state, 'open'), unleased(now)))
    .returning();
  return row;
}

/** Up to `limit` open intents due and held by nobody, taken under one lease (skip-locked). */
export async function takeDue(
  db: Db,
  lease: { token: string; until: Date },
  now: Date,
  limit: number,
): Promise<IntentRow[]> {
  const due = db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.state, 'open'), lte(t.dueAt, now), unleased(now)))
    .orderBy(asc(t.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(t)
    .set(taken(lease, now))
    .where(and(inArray(t.id, due), eq(t.state, 'open'), unleased(now)))
    .returning();
}

/** The outcome is known and recorded on the subject: the intent is done. */
export async function settle(db: Db, id: string, outcome: IntentOutcome, now: Date): Promise<void> {
  await db
    .update(t)
    .set({
      state: 'settled',
      outcome,
      leaseToken: null,
      leaseUntil: null,
      lastError: null,
      settledAt: now,
      updatedAt: now,
    })
    .where(columnsEqual(t, { id, state: 'open' }));
}

/**
 * Deletes up to `limit` intents settled before `before`, oldest first. A settled intent only
 * records what was sent; a later write of its key inserts a new one, as reopening would.
 */
export async function deleteSettledBefore(db: Db, before: Date, limit: number): Promise<number> {
  const old = db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.state, 'settled'), lt(t.settledAt, before)))
    .orderBy(asc(t.settledAt))
    .limit(limit);
  // Settled again only by a later write of the same key, which reopens it: an open row stays.
  const deleted = await db
    .delete(t)
    .where(and(inArray(t.id, old), eq(t.state, 'settled')))
    .returning({ id: t.id });
  return deleted.length;
}

/** The holder lets go of an intent whose outcome is still unknown; recovery looks at `dueAt`. */
export async function release(
  db: Db,
  id: string,
  token: string,
  dueAt: Date,
  error: string,
  now: Date,
  resendBlocked = false,
): Promise<void> {
  await db
    .update(t)
    .set({
      leaseToken: null,
      leaseUntil: null,
      dueAt,
      lastError: error,
      updatedAt: now,
      // Once blocked, for good: what the target did stays unknown to its key.
      ...(resendBlocked && { resendBlocked: true }),
    })
    .where(columnsEqual(t, { id, state: 'open', leaseToken: token }));
}

/** The intent recorded under a key (of a kind, to a target), open or settled, if any. */
export async function findByKey(
  db: Db,
  kind: string,
  target: string,
  idempotencyKey: string,
): Promise<IntentRow | undefined> {
  const [row] = await db.select().from(t).where(columnsEqual(t, { kind, target, idempotencyKey }));
  return row;
}

/** The open intents about these subjects, oldest first. */
export async function openOf(db: Db, subjectIds: string[]): Promise<IntentRow[]> {
  if (subjectIds.length === 0) return [];
  return db
    .select()
    .from(t)
    .where(and(inArray(t.subjectId, subjectIds), eq(t.state, 'open')))
    .orderBy(asc(t.createdAt), asc(t.id));
}

/** When the earliest open intent is due and free of its lease; null when none is open. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ due: min(sql<Date>`greatest(${t.dueAt}, coalesce(${t.leaseUntil}, ${t.dueAt}))`) })
    .from(t)
    .where(eq(t.state, 'open'));
  return row?.due ? new Date(row.due) : null;
}
