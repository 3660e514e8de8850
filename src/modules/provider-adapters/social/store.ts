import { and, eq, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { providerSocialObjects } from '../tables.js';

/*
 * The buyers' sales-social objects at adapter sources (tables.ts providerSocialObjects): each
 * read and write is keyed by the source and the buyer, so one buyer never reaches another's.
 */

export type SocialKind = 'audience' | 'event_source' | 'catalog';
export type SocialObjectRow = typeof providerSocialObjects.$inferSelect;

export interface SocialOwner {
  inventorySourceId: number;
  buyerCustomerId: number;
}

const owned = (owner: SocialOwner, kind: SocialKind) =>
  columnsEqual(providerSocialObjects, {
    inventorySourceId: owner.inventorySourceId,
    buyerCustomerId: owner.buyerCustomerId,
    kind,
  });

export async function socialObjectsOf(db: Db, owner: SocialOwner, kind: SocialKind) {
  return db
    .select()
    .from(providerSocialObjects)
    .where(owned(owner, kind))
    .orderBy(providerSocialObjects.id)
    .limit(1000);
}

export async function socialObject(db: Db, owner: SocialOwner, kind: SocialKind, buyerRef: string) {
  const [row] = await db
    .select()
    .from(providerSocialObjects)
    .where(and(owned(owner, kind), eq(providerSocialObjects.buyerRef, buyerRef)));
  return row;
}

/**
 * The buyer's object of that id, claimed before the provider hears of it (a concurrent sync of
 * the same id meets the same row: the unique index settles it).
 */
export async function claimSocialObject(
  db: Db,
  owner: SocialOwner,
  kind: SocialKind,
  buyerRef: string,
  providerName: string,
  details: Record<string, unknown>,
): Promise<{ row: SocialObjectRow; created: boolean }> {
  const [inserted] = await db
    .insert(providerSocialObjects)
    .values({ ...owner, kind, buyerRef, providerName, details })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { row: inserted, created: true };
  const row = await socialObject(db, owner, kind, buyerRef);
  if (!row) throw new Error(`social object ${kind} ${buyerRef} vanished while claimed`);
  return { row, created: false };
}

export async function updateSocialObject(
  db: Db,
  id: number,
  values: { providerId?: string; details?: Record<string, unknown> },
) {
  await db
    .update(providerSocialObjects)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(providerSocialObjects.id, id));
}

export async function deleteSocialObject(db: Db, id: number) {
  await db.delete(providerSocialObjects).where(eq(providerSocialObjects.id, id));
}
