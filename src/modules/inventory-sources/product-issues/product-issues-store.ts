import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { inventorySourceProductIssues as issues } from '../tables.js';

export type ProductIssueRow = typeof issues.$inferSelect;

/** The open issues of every source seen since `since` (at most `limit`), oldest first. */
export async function listOpenIssues(db: Db, since: Date, limit: number) {
  return db
    .select()
    .from(issues)
    .where(gt(issues.lastSeenAt, since))
    .orderBy(asc(issues.inventorySourceId), asc(issues.firstSeenAt), asc(issues.productId))
    .limit(limit);
}

/** The open issues of these sources seen since `since`, by source, oldest first. */
export async function listIssuesOf(
  db: Db,
  inventorySourceIds: number[],
  since: Date,
  limit: number,
): Promise<ProductIssueRow[]> {
  if (inventorySourceIds.length === 0) return [];
  return db
    .select()
    .from(issues)
    .where(and(inArray(issues.inventorySourceId, inventorySourceIds), gt(issues.lastSeenAt, since)))
    .orderBy(asc(issues.inventorySourceId), asc(issues.firstSeenAt), asc(issues.productId))
    .limit(limit);
}

/**
 * Records the products seen refused at `at`: a new one starts at `at`; one already recorded keeps
 * its first sighting and takes the latest field and message.
 */
export async function upsertIssues(
  db: Db,
  inventorySourceId: number,
  refused: Array<{ productId: string; field: string; message: string }>,
  at: Date,
): Promise<void> {
  if (refused.length === 0) return;
  await db
    .insert(issues)
    .values(
      refused.map((r) => ({
        inventorySourceId,
        productId: r.productId,
        field: r.field,
        message: r.message,
        firstSeenAt: at,
        lastSeenAt: at,
      })),
    )
    .onConflictDoUpdate({
      target: [issues.inventorySourceId, issues.productId],
      set: {
        field: sql`excluded.field`,
        message: sql`excluded.message`,
        lastSeenAt: sql`greatest(${issues.lastSeenAt}, excluded.last_seen_at)`,
      },
    });
}

/** Forgets these products' issues (they came back valid, or the source no longer offers them). */
export async function deleteIssues(
  db: Db,
  inventorySourceId: number,
  productIds: string[],
): Promise<void> {
  if (productIds.length === 0) return;
  await db
    .delete(issues)
    .where(
      and(eq(issues.inventorySourceId, inventorySourceId), inArray(issues.productId, productIds)),
    );
}

/** Forgets issues not seen since `before` (a product the source stopped offering unnoticed). */
export async function pruneIssues(db: Db, before: Date): Promise<void> {
  await db.delete(issues).where(lt(issues.lastSeenAt, before));
}
