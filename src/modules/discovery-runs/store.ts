import { and, desc, eq, getTableColumns, gte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { rowsOf } from '../../platform/db/migrate.js';
import { discoveryRuns, type PackagedComponentRecord, type QuoteRecord } from './tables.js';

export type DiscoveryRunRow = typeof discoveryRuns.$inferSelect;
export type NewDiscoveryRun = typeof discoveryRuns.$inferInsert;

/**
 * Inserts runs, answering their ids in the order given: one prepared statement for any batch
 * size (issue 30). The batch goes as a single jsonb parameter, unpacked by `jsonb_to_recordset`
 * into the table's columns, so the SQL is built once and PostgreSQL plans it once per
 * connection (a multi-row VALUES insert was a new statement, 17 parameters a row, every call). The record's fields are the columns' own
 * property names, so a run serialises as it is; the columns with defaults are filled first
 * (a missing field would be NULL here, not the default). Ids come back in the order given: one
 * function scan feeds the insert, and RETURNING follows it.
 */
export function preparedRunInsert(db: Db): (runs: NewDiscoveryRun[]) => Promise<number[]> {
  // Every column but the identity, which takes its default as in a VALUES insert. (drizzle's
  // own INSERT … SELECT lists the identity too and drops overridingSystemValue(), so the insert
  // is written here and prepared as a data-modifying CTE.)
  const columns = Object.entries(getTableColumns(discoveryRuns)).filter(
    ([, column]) => column !== discoveryRuns.id,
  );
  const list = (each: (key: string, column: (typeof columns)[number][1]) => SQL) =>
    sql.join(
      columns.map(([key, column]) => each(key, column)),
      sql`, `,
    );
  const written = db.$with('written', { id: sql<number>`id`.mapWith(Number).as('id') }).as(
    sql`insert into ${discoveryRuns} (${list((_, column) => sql`${sql.identifier(column.name)}`)})
      select ${list((key) => sql`r.${sql.identifier(key)}`)}
      from jsonb_to_recordset(${sql.placeholder('runs')}::jsonb)
        as r(${list((key, column) => sql`${sql.identifier(key)} ${sql.raw(column.getSQLType())}`)})
      returning ${discoveryRuns.id}`,
  );
  const statement = db
    .with(written)
    .select({ id: written.id })
    .from(written)
    .prepare('discovery_runs_insert');
  return async (runs) => {
    const filled = runs.map((run) => ({
      productIds: [],
      packages: {},
      quotes: {},
      sourceOutcomes: [],
      createdAt: new Date(),
      ...run,
    }));
    const rows = await statement.execute({ runs: JSON.stringify(filled) });
    return rows.map((row) => row.id);
  };
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

/** A product's options as a buyer was last shown them: the quotes, and the answer's terms. */
export interface ShownQuote {
  productId: string;
  runId: number;
  shownAt: Date;
  discountPercent: number | null;
  posture: string | null;
  options: Record<string, QuoteRecord>;
}

/**
 * For each of `productIds`, the options of the buyer's latest run on the storefront since `since`
 * that showed it (under `brandDomain` when the run and the buy both name a brand). One statement:
 * each id joined to its newest run.
 */
export async function latestQuotesShowing(
  db: Db,
  storefrontId: number,
  customerId: number,
  productIds: string[],
  since: Date,
  brandDomain: string | null,
): Promise<ShownQuote[]> {
  const ids = sql`array[${sql.join(
    productIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  const result = await db.execute(sql`
    select distinct on (p.id) p.id as product_id, r.id as run_id, r.created_at,
      r.discount_percent, r.selected_posture, r.quotes -> p.id as options
    from unnest(${ids}) as p(id)
    join ${discoveryRuns} r
      on r.storefront_id = ${storefrontId} and r.buyer_customer_id = ${customerId}
      and r.created_at >= ${since.toISOString()}
      and jsonb_exists(r.quotes, p.id)
      and (${brandDomain}::text is null or r.brand_domain is null or r.brand_domain = ${brandDomain})
    order by p.id, r.created_at desc, r.id desc`);
  return rowsOf<{
    product_id: string;
    run_id: string | number;
    created_at: string | Date;
    discount_percent: number | null;
    selected_posture: string | null;
    options: Record<string, QuoteRecord>;
  }>(result).map((row) => ({
    productId: row.product_id,
    runId: Number(row.run_id),
    shownAt: new Date(row.created_at),
    discountPercent: row.discount_percent,
    posture: row.selected_posture,
    options: row.options,
  }));
}
