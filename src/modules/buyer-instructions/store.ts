import { asc, eq } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { scopeTaken } from './errors.js';
import { scopeLabel } from './matching.js';
import { buyerInstructions } from './tables.js';

export type BuyerInstructionRow = typeof buyerInstructions.$inferSelect;
export type NewBuyerInstruction = typeof buyerInstructions.$inferInsert;

/** Inserts a row; a scope the storefront already has is a conflict (held by a unique index). */
export async function insertInstruction(
  tx: Db,
  input: NewBuyerInstruction,
): Promise<BuyerInstructionRow> {
  try {
    const [row] = await tx.insert(buyerInstructions).values(input).returning();
    return row as BuyerInstructionRow;
  } catch (error) {
    if (isUniqueViolation(error, 'buyer_instructions_scope_key')) {
      throw scopeTaken(
        scopeLabel({
          operatorDomain: input.operatorDomain ?? null,
          brandDomain: input.brandDomain ?? null,
        }),
      );
    }
    throw error;
  }
}

/** A storefront's instructions in a stable order (id ascending). */
export async function listInstructions(db: Db, storefrontId: number) {
  return db
    .select()
    .from(buyerInstructions)
    .where(eq(buyerInstructions.storefrontId, storefrontId))
    .orderBy(asc(buyerInstructions.id));
}

/** One instruction of this storefront; another storefront's id reads as missing. */
export async function findInstruction(
  db: Db,
  storefrontId: number,
  id: number,
): Promise<BuyerInstructionRow | undefined> {
  const [row] = await db
    .select()
    .from(buyerInstructions)
    .where(columnsEqual(buyerInstructions, { storefrontId, id }));
  return row;
}

export async function updateInstruction(
  tx: Db,
  storefrontId: number,
  id: number,
  patch: Pick<Partial<NewBuyerInstruction>, 'discountPercent' | 'notes' | 'countries' | 'posture'>,
): Promise<BuyerInstructionRow | undefined> {
  const [row] = await tx
    .update(buyerInstructions)
    .set({ ...patch, updatedAt: new Date() })
    .where(columnsEqual(buyerInstructions, { storefrontId, id }))
    .returning();
  return row;
}

export async function deleteInstruction(
  tx: Db,
  storefrontId: number,
  id: number,
): Promise<BuyerInstructionRow | undefined> {
  const [row] = await tx
    .delete(buyerInstructions)
    .where(columnsEqual(buyerInstructions, { storefrontId, id }))
    .returning();
  return row;
}
