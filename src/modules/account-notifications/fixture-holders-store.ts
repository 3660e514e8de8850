import { and, desc, eq } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { AccountOwner } from './store.js';
import { sandboxFixtureHolders } from './tables.js';

/** How many of one buyer's held fixtures on one storefront a listing reads at most. */
const heldListed = 1000;

/**
 * Which source of a storefront holds each of a sandbox buyer's seeded products (tables.ts
 * `sandbox_fixture_holders`): recorded when a source takes the seed, read when a buy or a
 * listing names the seeded id.
 */
export interface FixtureHolders {
  /** `sourceId` holds the buyer's seeded `productId`; null: the storefront's own book does. */
  hold(owner: AccountOwner, productId: string, sourceId: string | null): Promise<void>;
  /** The source holding the buyer's seeded `productId`, if one does. */
  holderOf(owner: AccountOwner, productId: string): Promise<string | undefined>;
  /** Every seeded product of the buyer a source holds: seeded id → source id (newest first). */
  heldBy(owner: AccountOwner): Promise<Map<string, string>>;
}

export function createFixtureHolders({ db }: { db: Db }): FixtureHolders {
  const ownerIs = (owner: AccountOwner) =>
    columnsEqual(sandboxFixtureHolders, {
      storefrontId: owner.storefrontId,
      buyerCustomerId: owner.buyerCustomerId,
    });
  return {
    async hold(owner, productId, sourceId) {
      if (sourceId === null) {
        await db
          .delete(sandboxFixtureHolders)
          .where(and(ownerIs(owner), eq(sandboxFixtureHolders.productId, productId)));
        return;
      }
      await db
        .insert(sandboxFixtureHolders)
        .values({ ...owner, productId, sourceId })
        .onConflictDoUpdate({
          target: [
            sandboxFixtureHolders.storefrontId,
            sandboxFixtureHolders.buyerCustomerId,
            sandboxFixtureHolders.productId,
          ],
          set: { sourceId, updatedAt: new Date() },
        });
    },
    async holderOf(owner, productId) {
      const [row] = await db
        .select({ sourceId: sandboxFixtureHolders.sourceId })
        .from(sandboxFixtureHolders)
        .where(and(ownerIs(owner), eq(sandboxFixtureHolders.productId, productId)))
        .limit(1);
      return row?.sourceId;
    },
    async heldBy(owner) {
      const rows = await db
        .select({
          productId: sandboxFixtureHolders.productId,
          sourceId: sandboxFixtureHolders.sourceId,
        })
        .from(sandboxFixtureHolders)
        .where(ownerIs(owner))
        .orderBy(desc(sandboxFixtureHolders.updatedAt))
        .limit(heldListed);
      return new Map(rows.map((row) => [row.productId, row.sourceId]));
    },
  };
}
