import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { operatingInstructionCounters, operatingInstructions } from './tables.js';

export type OperatingInstructionsRow = typeof operatingInstructions.$inferSelect;

/**
 * Hands out the storefront's next version number. The upsert locks the counter row until the
 * caller's transaction ends, so concurrent saves are numbered one after the other.
 */
export async function nextVersion(tx: Db, storefrontId: number): Promise<number> {
  const [row] = await tx
    .insert(operatingInstructionCounters)
    .values({ storefrontId, lastVersion: 1 })
    .onConflictDoUpdate({
      target: operatingInstructionCounters.storefrontId,
      set: { lastVersion: sql`${operatingInstructionCounters.lastVersion} + 1` },
    })
    .returning({ version: operatingInstructionCounters.lastVersion });
  return (row as { version: number }).version;
}

/** Locks the storefront's counter row for the transaction (serialises activations). */
export async function lockStorefront(tx: Db, storefrontId: number): Promise<void> {
  await tx
    .select({ storefrontId: operatingInstructionCounters.storefrontId })
    .from(operatingInstructionCounters)
    .where(eq(operatingInstructionCounters.storefrontId, storefrontId))
    .for('update');
}

export async function insertVersion(
  tx: Db,
  input: typeof operatingInstructions.$inferInsert,
): Promise<OperatingInstructionsRow> {
  const [row] = await tx.insert(operatingInstructions).values(input).returning();
  return row as OperatingInstructionsRow;
}

/** All versions of a storefront, newest first. */
export async function listVersions(db: Db, storefrontId: number) {
  return db
    .select()
    .from(operatingInstructions)
    .where(eq(operatingInstructions.storefrontId, storefrontId))
    .orderBy(desc(operatingInstructions.version));
}

export async function findVersion(
  db: Db,
  storefrontId: number,
  version: number,
): Promise<OperatingInstructionsRow | undefined> {
  const [row] = await db
    .select()
    .from(operatingInstructions)
    .where(columnsEqual(operatingInstructions, { storefrontId, version }));
  return row;
}

export async function findActive(
  db: Db,
  storefrontId: number,
): Promise<OperatingInstructionsRow | undefined> {
  const [row] = await db
    .select()
    .from(operatingInstructions)
    .where(columnsEqual(operatingInstructions, { storefrontId, isActive: true }));
  return row;
}

/**
 * Makes `version` the storefront's only active version. Deactivates first so the partial
 * unique index never sees two active rows; call inside a transaction.
 */
export async function setActive(
  tx: Db,
  storefrontId: number,
  version: number,
): Promise<OperatingInstructionsRow> {
  await tx
    .update(operatingInstructions)
    .set({ isActive: false })
    .where(
      and(
        eq(operatingInstructions.storefrontId, storefrontId),
        eq(operatingInstructions.isActive, true),
        ne(operatingInstructions.version, version),
      ),
    );
  const [row] = await tx
    .update(operatingInstructions)
    .set({ isActive: true })
    .where(columnsEqual(operatingInstructions, { storefrontId, version }))
    .returning();
  return row as OperatingInstructionsRow;
}
