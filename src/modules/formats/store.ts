import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { buyerFormatCaches } from './tables.js';

export type FormatCacheRow = typeof buyerFormatCaches.$inferSelect;

/** The customer's cached answers of these agents. */
export function cachesOf(db: Db, customerId: number, agentIds: string[]) {
  if (agentIds.length === 0) return Promise.resolve([] as FormatCacheRow[]);
  return db
    .select()
    .from(buyerFormatCaches)
    .where(
      and(
        eq(buyerFormatCaches.customerId, customerId),
        inArray(buyerFormatCaches.agentId, agentIds),
      ),
    );
}

/** Stores a fresh answer (formats and no error) or a failure (error; formats kept as they were). */
export async function saveAnswer(
  db: Db,
  entry: { customerId: number; agentId: string; now: Date } & (
    { formats: Record<string, unknown>[] } | { error: string }
  ),
): Promise<void> {
  const ok = 'formats' in entry;
  await db
    .insert(buyerFormatCaches)
    .values({
      customerId: entry.customerId,
      agentId: entry.agentId,
      formats: ok ? entry.formats : [],
      lastError: ok ? null : entry.error,
      fetchedAt: entry.now,
      readAt: entry.now,
    })
    .onConflictDoUpdate({
      target: [buyerFormatCaches.customerId, buyerFormatCaches.agentId],
      set: ok
        ? { formats: entry.formats, lastError: null, fetchedAt: entry.now }
        : { lastError: entry.error, fetchedAt: entry.now },
    });
}

/** Marks entries read, at most once per `every` ms each (a conditional update, no hot writes). */
export async function touch(
  db: Db,
  customerId: number,
  agentIds: string[],
  now: Date,
  every: number,
) {
  if (agentIds.length === 0) return;
  await db
    .update(buyerFormatCaches)
    .set({ readAt: now })
    .where(
      and(
        eq(buyerFormatCaches.customerId, customerId),
        inArray(buyerFormatCaches.agentId, agentIds),
        lt(
          buyerFormatCaches.readAt,
          sql`${new Date(now.getTime() - every).toISOString()}::timestamptz`,
        ),
      ),
    );
}

export async function findCache(db: Db, customerId: number, agentId: string) {
  const [row] = await db
    .select()
    .from(buyerFormatCaches)
    .where(columnsEqual(buyerFormatCaches, { customerId, agentId }));
  return row;
}
