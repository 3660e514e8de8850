import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { modularAvails, modularSources } from '../tables.js';

/** Every query reading the avails a modular source sells from: products, capabilities, pricing. */

export type AvailRow = typeof modularAvails.$inferSelect;

/** Impressions still for sale on an avail: capacity less upstream, held and booked, never below 0. */
export const availableSql = sql<number>`greatest(${modularAvails.impressionsCapacity} - ${modularAvails.upstreamBooked} - ${modularAvails.held} - ${modularAvails.booked}, 0)`;

/** The avails a brief may be answered from: active, priced, not over, with capacity left, in the channels asked for. */
function onSale(
  inventorySourceId: number,
  options: { channels?: string[] | undefined; now: Date },
) {
  return and(
    eq(modularAvails.inventorySourceId, inventorySourceId),
    eq(modularAvails.active, true),
    gt(modularAvails.endTime, options.now),
    sql`${modularAvails.cpm} is not null`,
    sql`${availableSql} > 0`,
    options.channels?.length ? inArray(modularAvails.channel, options.channels) : undefined,
  );
}

/**
 * The row ids of the avails on sale (see onSale), most capacity left first, then by avail id; and
 * the feed revisions that wrote them: the one revision, or the least and the greatest of them
 * when more than one did (then ask saleRevisions; no sort of every row's revision for the
 * usual one). One row: the ids are all a call needs of each avail when it holds what the
 * revision wrote (sale-catalogue.ts).
 */
export async function saleOrder(
  db: Db,
  inventorySourceId: number,
  options: { channels?: string[] | undefined; now: Date },
): Promise<{ ids: number[]; revisions: string[] }> {
  const [row] = await db
    .select({
      ids: sql<
        number[]
      >`coalesce(json_agg(${modularAvails.id} order by ${availableSql} desc, ${modularAvails.availId}), '[]')`,
      revisions: sql<
        string[]
      >`case when count(*) = 0 then '[]'::json when min(${modularAvails.revisionId}) = max(${modularAvails.revisionId}) then json_build_array(min(${modularAvails.revisionId})) else json_build_array(min(${modularAvails.revisionId}), max(${modularAvails.revisionId})) end`,
    })
    .from(modularAvails)
    .where(onSale(inventorySourceId, options));
  return row ?? { ids: [], revisions: [] };
}

/** The row ids of the avails on sale (see onSale) per feed revision that last wrote them. */
export async function saleRevisions(
  db: Db,
  inventorySourceId: number,
  options: { channels?: string[] | undefined; now: Date },
): Promise<Array<{ revisionId: string; ids: number[] }>> {
  return db
    .select({
      revisionId: modularAvails.revisionId,
      ids: sql<number[]>`json_agg(${modularAvails.id})`,
    })
    .from(modularAvails)
    .where(onSale(inventorySourceId, options))
    .groupBy(modularAvails.revisionId);
}

/**
 * What the brief matcher reads of avails, by row id (no jsonb but the formats), with the revision
 * that wrote it: a feed commit rewrites these and stamps its revision, nothing else changes them.
 */
export async function saleStatics(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .select({
      id: modularAvails.id,
      revisionId: modularAvails.revisionId,
      name: modularAvails.name,
      collectionName: modularAvails.collectionName,
      channel: modularAvails.channel,
      formatOptions: modularAvails.formatOptions,
      startTime: modularAvails.startTime,
      endTime: modularAvails.endTime,
    })
    .from(modularAvails)
    .where(inArray(modularAvails.id, ids));
}

/** Avails whole by their row ids (in no particular order). */
export async function availsByRowIds(db: Db, ids: number[]): Promise<AvailRow[]> {
  return db.select().from(modularAvails).where(inArray(modularAvails.id, ids));
}

/** What a buy's packages are priced from: the named avails still active (off-sale ones absent). */
export async function activeAvailPrices(db: Db, inventorySourceId: number, availIds: string[]) {
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
      and(eq(modularAvails.inventorySourceId, inventorySourceId), eq(modularAvails.active, true)),
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
      and(eq(modularAvails.inventorySourceId, inventorySourceId), eq(modularAvails.active, true)),
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
