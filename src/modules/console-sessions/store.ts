import { and, asc, count, desc, eq, gt, inArray, isNull, lte, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { consoleSessions } from './tables.js';

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;

const live = (now: Date) =>
  and(isNull(consoleSessions.revokedAt), gt(consoleSessions.expiresAt, now));

export async function insertSession(
  db: Db,
  input: typeof consoleSessions.$inferInsert,
): Promise<ConsoleSessionRow> {
  const [row] = await db.insert(consoleSessions).values(input).returning();
  return row as ConsoleSessionRow;
}

/** The live session a token hash names: one unique-index read. */
export async function findLiveByTokenHash(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<ConsoleSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(consoleSessions)
    .where(and(eq(consoleSessions.tokenHash, tokenHash), live(now)));
  return row;
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.update(consoleSessions).set({ lastSeenAt: at }).where(eq(consoleSessions.id, id));
}

/**
 * A window of the customer's live sessions, most recently seen first, leaving out `exceptId`
 * (the caller's own, which the list shows first), with how many there are in all.
 */
export async function pageLive(
  db: Db,
  customerId: number,
  now: Date,
  window: { exceptId: string; offset: number; limit: number },
): Promise<{ rows: ConsoleSessionRow[]; total: number }> {
  const where = and(
    eq(consoleSessions.customerId, customerId),
    live(now),
    ne(consoleSessions.id, window.exceptId),
  );
  const [counted] = await db.select({ n: count() }).from(consoleSessions).where(where);
  const rows =
    window.limit > 0
      ? await db
          .select()
          .from(consoleSessions)
          .where(where)
          .orderBy(
            desc(consoleSessions.lastSeenAt),
            desc(consoleSessions.createdAt),
            asc(consoleSessions.id),
          )
          .offset(window.offset)
          .limit(window.limit)
      : [];
  return { rows, total: Number(counted?.n ?? 0) };
}

/** One live session of the customer by id; undefined when ended, expired or another's. */
export async function findLiveOwn(
  db: Db,
  customerId: number,
  id: string,
  now: Date,
): Promise<ConsoleSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(consoleSessions)
    .where(and(eq(consoleSessions.customerId, customerId), eq(consoleSessions.id, id), live(now)));
  return row;
}

/** Revokes one live session of `customerId`; undefined when there is none by that id. */
export async function revokeOwn(
  db: Db,
  customerId: number,
  id: string,
  now: Date,
): Promise<ConsoleSessionRow | undefined> {
  const [row] = await db
    .update(consoleSessions)
    .set({ revokedAt: now })
    .where(and(eq(consoleSessions.id, id), eq(consoleSessions.customerId, customerId), live(now)))
    .returning();
  return row;
}

export async function revokeByTokenHash(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ revokedAt: now })
    .where(and(eq(consoleSessions.tokenHash, tokenHash), isNull(consoleSessions.revokedAt)));
}

/** Revokes every live session of `customerId` but `keepId`; answers how many. */
export async function revokeOthers(
  db: Db,
  customerId: number,
  keepId: string,
  now: Date,
): Promise<number> {
  const rows = await db
    .update(consoleSessions)
    .set({ revokedAt: now })
    .where(
      and(eq(consoleSessions.customerId, customerId), ne(consoleSessions.id, keepId), live(now)),
    )
    .returning({ id: consoleSessions.id });
  return rows.length;
}

export async function revokeForKey(db: Db, keyId: string, now: Date): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ revokedAt: now })
    .where(and(eq(consoleSessions.keyId, keyId), isNull(consoleSessions.revokedAt)));
}

/** Deletes sessions past their expiry (revoked ones included): they can never be used again. */
/** Deletes up to `limit` sessions past their expiry (oldest expiry first), so one sweep stays cheap. */
export async function deleteExpired(db: Db, now: Date, limit: number): Promise<void> {
  const expired = db
    .select({ id: consoleSessions.id })
    .from(consoleSessions)
    .where(lte(consoleSessions.expiresAt, now))
    .orderBy(asc(consoleSessions.expiresAt))
    .limit(limit);
  await db.delete(consoleSessions).where(inArray(consoleSessions.id, expired));
}
