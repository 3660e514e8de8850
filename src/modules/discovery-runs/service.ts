import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { discoveryRuns, type PackagedComponentRecord } from './tables.js';

export type DiscoveryRunRow = typeof discoveryRuns.$inferSelect;
export type NewDiscoveryRun = typeof discoveryRuns.$inferInsert;
export type DiscoveryRunsService = ReturnType<typeof createDiscoveryRunsService>;

/** Records what buyers asked storefront agents for and what they were shown. */
export function createDiscoveryRunsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async record(run: NewDiscoveryRun): Promise<number> {
      const [row] = await db.insert(discoveryRuns).values(run).returning({ id: discoveryRuns.id });
      return row!.id;
    },

    /**
     * The buyer's latest run on the storefront that showed any of `productIds`: the run a media
     * buy on those products came from. Null when none did (the buyer had ids from elsewhere).
     */
    async latestShowing(
      storefrontId: number,
      customerId: number,
      productIds: string[],
    ): Promise<number | null> {
      if (productIds.length === 0) return null;
      const [row] = await db
        .select({ id: discoveryRuns.id })
        .from(discoveryRuns)
        .where(
          and(
            eq(discoveryRuns.storefrontId, storefrontId),
            eq(discoveryRuns.buyerCustomerId, customerId),
            sql`jsonb_exists_any(${discoveryRuns.productIds}, array[${sql.join(
              productIds.map((id) => sql`${id}`),
              sql`, `,
            )}]::text[])`,
          ),
        )
        .orderBy(desc(discoveryRuns.createdAt), desc(discoveryRuns.id))
        .limit(1);
      return row?.id ?? null;
    },

    /**
     * The components of packaged products as the buyer was last shown them (latest run showing
     * each), keyed by the packaged product id; ids never shown as packages are absent.
     */
    async packagesShown(
      storefrontId: number,
      customerId: number,
      productIds: string[],
    ): Promise<Record<string, PackagedComponentRecord[]>> {
      if (productIds.length === 0) return {};
      const rows = await db
        .select({ packages: discoveryRuns.packages })
        .from(discoveryRuns)
        .where(
          and(
            eq(discoveryRuns.storefrontId, storefrontId),
            eq(discoveryRuns.buyerCustomerId, customerId),
            sql`jsonb_exists_any(${discoveryRuns.packages}, array[${sql.join(
              productIds.map((id) => sql`${id}`),
              sql`, `,
            )}]::text[])`,
          ),
        )
        .orderBy(desc(discoveryRuns.createdAt), desc(discoveryRuns.id))
        .limit(productIds.length);
      const found: Record<string, PackagedComponentRecord[]> = {};
      for (const row of rows) {
        for (const id of productIds) found[id] ??= row.packages[id]!;
      }
      for (const id of Object.keys(found)) if (!found[id]) delete found[id];
      return found;
    },
  };
}
