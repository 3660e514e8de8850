import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { discoveryRuns, type PackagedComponentRecord } from './tables.js';

export type DiscoveryRunRow = typeof discoveryRuns.$inferSelect;
export type NewDiscoveryRun = typeof discoveryRuns.$inferInsert;

/** Inserts runs; their ids in the order given (RETURNING follows the VALUES order). */
export async function insertRuns(db: Db, runs: NewDiscoveryRun[]): Promise<number[]> {
  const rows = await db.insert(discoveryRuns).values(runs).returning({ id: discoveryRuns.id });
  return rows.map((row) => row.id);
}

/** Runs of one buyer on one storefront whose jsonb `column` holds any of `keys`. */
function showingAny(
  storefrontId: number,
  customerId: number,
  column: typeof discoveryRuns.productIds | typeof discoveryRuns.packages,
  keys: string[],
) {
  return and(
    eq(discoveryRuns.storefrontId, storefrontId),
    eq(discoveryRuns.buyerCustomerId, customerId),
    sql`jsonb_exists_any(${column}, array[${sql.join(
      keys.map((id) => sql`${id}`),
      sql`, `,
    )}]::text[])`,
  );
}

/** The id of the buyer's latest run on the storefront that showed any of `productIds`. */
export async function latestRunShowing(
  db: Db,
  storefrontId: number,
  customerId: number,
  productIds: string[],
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: discoveryRuns.id })
    .from(discoveryRuns)
    .where(showingAny(storefrontId, customerId, discoveryRuns.productIds, productIds))
    .orderBy(desc(discoveryRuns.createdAt), desc(discoveryRuns.id))
    .limit(1);
  return row?.id;
}

/** The package maps of the buyer's latest runs showing any of `productIds` as packages. */
export async function latestPackagesShowing(
  db: Db,
  storefrontId: number,
  customerId: number,
  productIds: string[],
): Promise<Record<string, PackagedComponentRecord[]>[]> {
  const rows = await db
    .select({ packages: discoveryRuns.packages })
    .from(discoveryRuns)
    .where(showingAny(storefrontId, customerId, discoveryRuns.packages, productIds))
    .orderBy(desc(discoveryRuns.createdAt), desc(discoveryRuns.id))
    .limit(productIds.length);
  return rows.map((row) => row.packages);
}

/** Run count, fully answered runs and response times of a storefront's runs since `since`. */
export async function performanceSince(db: Db, storefrontId: number, since: Date) {
  const window = and(
    eq(discoveryRuns.storefrontId, storefrontId),
    gte(discoveryRuns.createdAt, since),
  );
  const [[row], [last]] = await Promise.all([
    db
      .select({
        samples: sql<number>`count(*)`.mapWith(Number),
        successes:
          sql<number>`count(*) filter (where not jsonb_path_exists(${discoveryRuns.sourceOutcomes}, '$[*] ? (@.ok == false)'))`.mapWith(
            Number,
          ),
        avg: sql<number | null>`round(avg(${discoveryRuns.durationMs}))`.mapWith((v) =>
          v === null ? null : Number(v),
        ),
        max: sql<number | null>`max(${discoveryRuns.durationMs})`,
      })
      .from(discoveryRuns)
      .where(window),
    db
      .select({ durationMs: discoveryRuns.durationMs, createdAt: discoveryRuns.createdAt })
      .from(discoveryRuns)
      .where(window)
      .orderBy(desc(discoveryRuns.createdAt), desc(discoveryRuns.id))
      .limit(1),
  ]);
  return { row, last };
}
