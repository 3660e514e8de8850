import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { publisherDomainChecks as checks } from './tables.js';

export type CheckRow = typeof checks.$inferSelect;
export type NewCheck = typeof checks.$inferInsert;

/** The storefront's last reads of these domains, by domain. */
export async function checksOf(
  db: Db,
  storefrontId: number,
  domains: string[],
): Promise<Map<string, CheckRow>> {
  if (domains.length === 0) return new Map();
  const rows = await db
    .select()
    .from(checks)
    .where(and(eq(checks.storefrontId, storefrontId), inArray(checks.domain, domains)));
  return new Map(rows.map((row) => [row.domain, row]));
}

/** Records a read, replacing the previous one of the same storefront and domain. */
export async function saveCheck(db: Db, row: NewCheck): Promise<void> {
  const { storefrontId: _s, domain: _d, ...update } = row;
  await db
    .insert(checks)
    .values(row)
    .onConflictDoUpdate({ target: [checks.storefrontId, checks.domain], set: update });
}

/** Storefronts with a read that expired before `at` (the refresh sweep). */
export async function storefrontsDue(db: Db, at: Date, limit = 500): Promise<number[]> {
  const rows = await db
    .selectDistinct({ storefrontId: checks.storefrontId })
    .from(checks)
    .where(lt(checks.expiresAt, at))
    .orderBy(asc(checks.storefrontId))
    .limit(limit);
  return rows.map((r) => r.storefrontId);
}
