import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict } from '../../platform/errors.js';
import { joinLinks } from './tables.js';

export type JoinLinkRow = typeof joinLinks.$inferSelect;

export async function insertJoinLink(
  db: Db,
  input: typeof joinLinks.$inferInsert,
): Promise<JoinLinkRow> {
  try {
    const [row] = await db.insert(joinLinks).values(input).returning();
    return row as JoinLinkRow;
  } catch (error) {
    if (isUniqueViolation(error, 'join_links_active_slug_key')) {
      throw conflict(
        'An active join link already uses this slug; pick another or disable that link',
        'slug',
      );
    }
    throw error;
  }
}

export async function activeSlugTaken(db: Db, slug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: joinLinks.id })
    .from(joinLinks)
    .where(columnsEqual(joinLinks, { slug, active: true }));
  return row !== undefined;
}

export async function findActiveBySlug(db: Db, slug: string): Promise<JoinLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(joinLinks)
    .where(columnsEqual(joinLinks, { slug, active: true }));
  return row;
}

/** The most recent link that ever had this slug (active or revoked), to explain a refusal. */
export async function findLatestBySlug(db: Db, slug: string): Promise<JoinLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(joinLinks)
    .where(eq(joinLinks.slug, slug))
    .orderBy(desc(joinLinks.active), desc(joinLinks.id))
    .limit(1);
  return row;
}

export async function listActive(db: Db, organizationId: number): Promise<JoinLinkRow[]> {
  return db
    .select()
    .from(joinLinks)
    .where(columnsEqual(joinLinks, { organizationId, active: true }))
    .orderBy(asc(joinLinks.id));
}

/** Soft-revokes an active link of the organisation; undefined when there is none. */
export async function revoke(
  db: Db,
  id: number,
  organizationId: number,
  at: Date,
): Promise<JoinLinkRow | undefined> {
  const [row] = await db
    .update(joinLinks)
    .set({ active: false, revokedAt: at, updatedAt: at })
    .where(columnsEqual(joinLinks, { id, organizationId, active: true }))
    .returning();
  return row;
}

/**
 * Takes one use of a usable link in a single conditional UPDATE. The row lock it takes makes
 * concurrent signups queue, and the `uses < max_uses` condition is re-checked on the locked row,
 * so the cap can never be overrun. Undefined when the link is not usable at `now`.
 */
export async function claimUse(db: Db, slug: string, now: Date): Promise<JoinLinkRow | undefined> {
  const [row] = await db
    .update(joinLinks)
    .set({ uses: sql`${joinLinks.uses} + 1`, updatedAt: now })
    .where(
      and(
        eq(joinLinks.slug, slug),
        eq(joinLinks.active, true),
        ne(joinLinks.approvalPolicy, 'closed'),
        or(isNull(joinLinks.expiresAt), gt(joinLinks.expiresAt, now)),
        or(isNull(joinLinks.maxUses), lt(joinLinks.uses, joinLinks.maxUses)),
      ),
    )
    .returning();
  return row;
}
