import { asc, eq } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { packageIdTaken } from './errors.js';
import type { ProductRuleInput } from './schemas.js';
import { productRules } from './tables.js';

export type ProductRuleRow = typeof productRules.$inferSelect;

const order = [asc(productRules.priority), asc(productRules.id)];

/** Turns a clash on the package id index into a conflict naming the id. */
async function guarded<T>(input: ProductRuleInput, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (input.kind === 'package' && isUniqueViolation(error, 'product_rules_package_key')) {
      throw packageIdTaken(input.action.productId);
    }
    throw error;
  }
}

export async function insertRule(
  tx: Db,
  storefrontId: number,
  input: ProductRuleInput,
): Promise<ProductRuleRow> {
  return guarded(input, async () => {
    const [row] = await tx
      .insert(productRules)
      .values({ storefrontId, ...input })
      .returning();
    return row as ProductRuleRow;
  });
}

/** A storefront's rules in the order they apply: priority, then id. */
export async function listRules(db: Db, storefrontId: number): Promise<ProductRuleRow[]> {
  return db
    .select()
    .from(productRules)
    .where(eq(productRules.storefrontId, storefrontId))
    .orderBy(...order);
}

/** Only the active ones, same order; one query on the partial (storefront, priority, id) index. */
export async function listActiveRules(db: Db, storefrontId: number): Promise<ProductRuleRow[]> {
  return db
    .select()
    .from(productRules)
    .where(columnsEqual(productRules, { storefrontId, active: true }))
    .orderBy(...order);
}

/** One rule of this storefront; another storefront's id reads as missing. */
export async function findRule(
  db: Db,
  storefrontId: number,
  id: number,
): Promise<ProductRuleRow | undefined> {
  const [row] = await db
    .select()
    .from(productRules)
    .where(columnsEqual(productRules, { storefrontId, id }));
  return row;
}

/** Replaces every field of a rule (PUT); undefined when it is not this storefront's. */
export async function replaceRule(
  tx: Db,
  storefrontId: number,
  id: number,
  input: ProductRuleInput,
): Promise<ProductRuleRow | undefined> {
  return guarded(input, async () => {
    const [row] = await tx
      .update(productRules)
      .set({ ...input, updatedAt: new Date() })
      .where(columnsEqual(productRules, { storefrontId, id }))
      .returning();
    return row;
  });
}

export async function deleteRule(
  tx: Db,
  storefrontId: number,
  id: number,
): Promise<ProductRuleRow | undefined> {
  const [row] = await tx
    .delete(productRules)
    .where(columnsEqual(productRules, { storefrontId, id }))
    .returning();
  return row;
}
