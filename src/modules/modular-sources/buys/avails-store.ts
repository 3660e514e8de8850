import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { modularAvails, modularSources } from '../tables.js';

/** Every query reading the avails a modular source sells from: products, capabilities, pricing. */

export type AvailRow = typeof modularAvails.$inferSelect;

/** Impressions still for sale on an avail: capacity less upstream, held and booked, never below 0. */
export const availableSql = sql<number>`greatest(${modularAvails.impressionsCapacity} - ${modularAvails.upstreamBooked} - ${modularAvails.held} - ${modularAvails.booked}, 0)`;

/**
 * The seller's own avails, not a sandbox buyer's seeded ones (sandbox/avails-store.ts): every
 * read of what the source sells live, counts and lists for its seller included, keeps to these.
 */
export const liveAvail = isNull(modularAvails.sandboxCustomerId);

/** The avails on sale: the seller's own, active, priced, not over, with capacity left. */
function onSale(inventorySourceId: number, now: Date) {
  return and(
    eq(modularAvails.inventorySourceId, inventorySourceId),
    liveAvail,
    eq(modularAvails.active, true),
    gt(modularAvails.endTime, now),
    sql`${modularAvails.cpm} is not null`,
    sql`${availableSql} > 0`,
  );
}

/**
 * The row ids of the avails on sale (see onSale), most capacity left first, then by avail id,
 * with the impressions each has left (in the same order); and the feed revisions that wrote
 * them: the one revision, or the least and the greatest of them when more than one did (then
 * ask saleRevisions; no sort of every row's revision for the usual one). One row: an avail's
 * id, revision and capacity left are all a call needs of it when it holds the product that
 * revision and capacity made (sale-catalogue.ts).
 */
export async function saleOrder(
  db: Db,
  inventorySourceId: number,
  now: Date,
): Promise<{ ids: number[]; available: number[]; revisions: string[] }> {
  const order = sql`order by ${availableSql} desc, ${modularAvails.availId}`;
  const [row] = await db
    .select({
      ids: sql<number[]>`coalesce(json_agg(${modularAvails.id} ${order}), '[]')`,
      available: sql<number[]>`coalesce(json_agg(${availableSql} ${order}), '[]')`,
      revisions: sql<
        string[]
      >`case when count(*) = 0 then '[]'::json when min(${modularAvails.revisionId}) = max(${modularAvails.revisionId}) then json_build_array(min(${modularAvails.revisionId})) else json_build_array(min(${modularAvails.revisionId}), max(${modularAvails.revisionId})) end`,
    })
    .from(modularAvails)
    .where(onSale(inventorySourceId, now));
  return row ?? { ids: [], available: [], revisions: [] };
}

/** The row ids of the avails on sale (see onSale) per feed revision that last wrote them. */
export async function saleRevisions(
  db: Db,
  inventorySourceId: number,
  now: Date,
): Promise<Array<{ revisionId: string; ids: number[] }>> {
  return db
    .select({
      revisionId: modularAvails.revisionId,
      ids: sql<number[]>`json_agg(${modularAvails.id})`,
    })
    .from(modularAvails)
    .where(onSale(inventorySourceId, now))
    .groupBy(modularAvails.revisionId);
}

/** Avails whole by their row ids (in no particular order). */
export async function availsByRowIds(db: Db, ids: number[]): Promise<AvailRow[]> {
  return db.select().from(modularAvails).where(inArray(modularAvails.id, ids));
}

/**
 * What a buy's packages are priced from: the named avails still active (off-sale ones absent),
 * the seller's own or the buying customer's sandbox ones (never another buyer's).
 */
export async function activeAvailPrices(
  db: Db,
  inventorySourceId: number,
  availIds: string[],
  buyerCustomerId: number,
) {
  return db
    .select({
      availId: modularAvails.availId,
      cpm: modularAvails.cpm,
      currency: modularAvails.currency,
      startTime: modularAvails.startTime,
      endTime: modularAvails.endTime,
    })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        or(liveAvail, eq(modularAvails.sandboxCustomerId, buyerCustomerId)),
        eq(modularAvails.active, true),
        inArray(modularAvails.availId, availIds),
      ),
    );
}

/**
 * What the avails on sale (active, not over) add up to: their count, impressions left, channels,
 * currencies, flight, the distinct format options (at most 1000 sets) and targeting dimensions
 * (at most 500).
 */
export async function onSaleSummary(db: Db, inventorySourceId: number, now: Date) {
  const onSale = and(
    eq(modularAvails.inventorySourceId, inventorySourceId),
    liveAvail,
    eq(modularAvails.active, true),
    gt(modularAvails.endTime, now),
  );
  const [totals] = await db
    .select({
      avails: sql<number>`count(*)::int`,
      available: sql<number>`coalesce(sum(${availableSql}), 0)::float8`,
      channels: sql<
        string[]
      >`coalesce(array_agg(distinct ${modularAvails.channel}) filter (where ${modularAvails.channel} is not null), '{}')`,
      currencies: sql<
        string[]
      >`coalesce(array_agg(distinct ${modularAvails.currency}) filter (where ${modularAvails.currency} is not null), '{}')`,
      firstStart: sql<string | null>`min(${modularAvails.startTime})::text`,
      lastEnd: sql<string | null>`max(${modularAvails.endTime})::text`,
    })
    .from(modularAvails)
    .where(onSale);
  const formats = await db
    .selectDistinct({ options: modularAvails.formatOptions })
    .from(modularAvails)
    .where(onSale)
    .limit(1000);
  const dimensions = await db
    .selectDistinct({ key: sql<string>`jsonb_object_keys(${modularAvails.targeting})` })
    .from(modularAvails)
    .where(onSale)
    .limit(500);
  return {
    totals,
    formatOptions: formats.map((f) => f.options),
    dimensions: dimensions.map((d) => d.key),
  };
}

/** The distinct format options of a source's avails on sale (list_creative_formats), bounded. */
export async function formatOptionsOnSale(db: Db, inventorySourceId: number) {
  const rows = await db
    .selectDistinct({ options: modularAvails.formatOptions })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        liveAvail,
        eq(modularAvails.active, true),
      ),
    )
    .limit(1000);
  return rows.flatMap((r) => r.options);
}

/** How many avails a source has on sale. */
export async function countActiveAvails(db: Db, inventorySourceId: number) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        liveAvail,
        eq(modularAvails.active, true),
      ),
    );
  return row?.n ?? 0;
}

/** The source's owner and what is on sale as of which write (undefined: not a modular source). */
export async function saleVersionOf(db: Db, inventorySourceId: number) {
  const [row] = await db
    .select({ storefrontId: modularSources.storefrontId, version: modularSources.saleVersion })
    .from(modularSources)
    .where(eq(modularSources.inventorySourceId, inventorySourceId));
  return row;
}
