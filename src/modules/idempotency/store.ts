import { and, eq, lt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { idempotencyKeys } from './tables.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
type Claim = Pick<IdempotencyRow, 'owner' | 'key' | 'method' | 'path' | 'fingerprint'>;

/** Claims a key for a new request; false when the owner already holds it. */
export async function insertClaim(db: Db, claim: Claim, at: Date): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ ...claim, state: 'in_progress', createdAt: at })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function findKey(db: Db, owner: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(columnsEqual(idempotencyKeys, { owner, key }));
  return row;
}

/**
 * Takes over a key whose record is expired, or whose request never finished (its instance
 * died): only one taker wins, the condition is re-checked by the update itself.
 */
export async function reclaim(
  db: Db,
  claim: Claim,
  at: Date,
  condition: { expiredBefore: Date; abandonedBefore: Date },
): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({
      method: claim.method,
      path: claim.path,
      fingerprint: claim.fingerprint,
      state: 'in_progress',
      responseStatus: null,
      responseContentType: null,
      responseBody: null,
      createdAt: at,
      completedAt: null,
    })
    .where(
      and(
        eq(idempotencyKeys.owner, claim.owner),
        eq(idempotencyKeys.key, claim.key),
        sql`(${idempotencyKeys.createdAt} < ${condition.expiredBefore.toISOString()}::timestamptz or (${idempotencyKeys.state} = 'in_progress' and ${idempotencyKeys.createdAt} < ${condition.abandonedBefore.toISOString()}::timestamptz))`,
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function complete(
  db: Db,
  owner: string,
  key: string,
  answer: { status: number; contentType: string | null; body: string },
  at: Date,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({
      state: 'completed',
      responseStatus: answer.status,
      responseContentType: answer.contentType,
      responseBody: answer.body,
      completedAt: at,
    })
    .where(columnsEqual(idempotencyKeys, { owner, key }));
}

export async function release(db: Db, owner: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(columnsEqual(idempotencyKeys, { owner, key, state: 'in_progress' }));
}

export async function deleteExpired(db: Db, before: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
