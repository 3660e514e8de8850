import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import type { ProductRule } from '../schemas.js';
import { adServerSandboxProducts } from '../tables.js';

/**
 * Every query on a sandbox buyer's seeded products at an ad-server source (fixtures.ts): one
 * buyer's rows only, read and written by the source id and the buyer.
 */

export interface SandboxProductRow {
  productId: string;
  rule: ProductRule;
  fixture: Record<string, unknown>;
}

const rowOf = (row: typeof adServerSandboxProducts.$inferSelect): SandboxProductRow => ({
  productId: row.productId,
  rule: row.rule,
  fixture: row.fixture,
});

/** How many products one buyer may seed at one source. */
const perBuyerLimit = 200;

/** The buyer's seeded products at the source, newest first (at most 200). */
export async function sandboxProductsOf(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
): Promise<SandboxProductRow[]> {
  const rows = await db
    .select()
    .from(adServerSandboxProducts)
    .where(
      and(
        eq(adServerSandboxProducts.inventorySourceId, inventorySourceId),
        eq(adServerSandboxProducts.buyerCustomerId, buyerCustomerId),
      ),
    )
    .limit(perBuyerLimit);
  return rows.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).map(rowOf);
}

/** Seeds (or re-seeds) one of the buyer's products. */
export async function upsertSandboxProduct(
  db: Db,
  key: { inventorySourceId: number; buyerCustomerId: number },
  row: SandboxProductRow,
): Promise<void> {
  const values = {
    ...key,
    productId: row.productId,
    rule: row.rule,
    fixture: row.fixture,
    updatedAt: new Date(),
  };
  await db
    .insert(adServerSandboxProducts)
    .values(values)
    .onConflictDoUpdate({
      target: [
        adServerSandboxProducts.inventorySourceId,
        adServerSandboxProducts.buyerCustomerId,
        adServerSandboxProducts.productId,
      ],
      set: { rule: values.rule, fixture: values.fixture, updatedAt: values.updatedAt },
    });
}
