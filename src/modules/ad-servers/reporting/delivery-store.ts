import { and, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { combinedViewability, type RowViewability } from '../../../sources/viewability.js';
import { adServerDelivery } from '../tables.js';

/*
 * Every query on imported delivery (one row per line item and day): written by the delivery
 * import page by page, read by the source port's get_media_buy_delivery and by status.
 */

export type NewDeliveryRow = typeof adServerDelivery.$inferInsert;

/** Rows written per statement. */
const perStatement = 500;

/** Writes report rows, replacing what an earlier import stored for the same line item and day. */
export async function upsertDeliveryRows(db: Db, values: NewDeliveryRow[]): Promise<void> {
  for (let i = 0; i < values.length; i += perStatement) {
    await db
      .insert(adServerDelivery)
      .values(values.slice(i, i + perStatement))
      .onConflictDoUpdate({
        target: [
          adServerDelivery.inventorySourceId,
          adServerDelivery.lineItemId,
          adServerDelivery.day,
        ],
        set: {
          impressions: sql`excluded.impressions`,
          clicks: sql`excluded.clicks`,
          spend: sql`excluded.spend`,
          measurableImpressions: sql`excluded.measurable_impressions`,
          viewableImpressions: sql`excluded.viewable_impressions`,
          viewedSeconds: sql`excluded.viewed_seconds`,
          viewabilityStandard: sql`excluded.viewability_standard`,
          importedAt: sql`excluded.imported_at`,
        },
      });
  }
}

/** One order's delivery rows of one day (YYYY-MM-DD), per line item. */
export async function orderDeliveryOfDay(
  db: Db,
  inventorySourceId: number,
  orderId: string,
  day: string,
) {
  return db
    .select()
    .from(adServerDelivery)
    .where(
      and(
        eq(adServerDelivery.inventorySourceId, inventorySourceId),
        eq(adServerDelivery.orderId, orderId),
        eq(adServerDelivery.day, day),
      ),
    );
}

/**
 * Delivery of orders, summed per line item, with the viewability its days measured combined
 * (sources/viewability.ts: not measured when none of them did).
 */
export async function deliveryOfOrders(db: Db, inventorySourceId: number, orderIds: string[]) {
  if (!orderIds.length) return [];
  const ofOrders = and(
    eq(adServerDelivery.inventorySourceId, inventorySourceId),
    inArray(adServerDelivery.orderId, orderIds),
  );
  const measured = await db
    .select({
      lineItemId: adServerDelivery.lineItemId,
      measurableImpressions: adServerDelivery.measurableImpressions,
      viewableImpressions: adServerDelivery.viewableImpressions,
      viewedSeconds: adServerDelivery.viewedSeconds,
      viewabilityStandard: adServerDelivery.viewabilityStandard,
    })
    .from(adServerDelivery)
    .where(and(ofOrders, isNotNull(adServerDelivery.measurableImpressions)));
  const viewabilityOf = (lineItemId: string): RowViewability =>
    combinedViewability(measured.filter((m) => m.lineItemId === lineItemId));
  const lines = await db
    .select({
      orderId: adServerDelivery.orderId,
      lineItemId: adServerDelivery.lineItemId,
      impressions: sql<number>`sum(${adServerDelivery.impressions})::bigint`,
      clicks: sql<number>`sum(${adServerDelivery.clicks})::bigint`,
      spend: sql<string>`sum(${adServerDelivery.spend})`,
      firstDay: sql<string>`min(${adServerDelivery.day})::text`,
      lastDay: sql<string>`max(${adServerDelivery.day})::text`,
    })
    .from(adServerDelivery)
    .where(ofOrders)
    .groupBy(adServerDelivery.orderId, adServerDelivery.lineItemId);
  return lines.map((line) => ({ ...line, viewability: viewabilityOf(line.lineItemId) }));
}

/** Impressions the source delivered on days from `fromDay` (YYYY-MM-DD) on. */
export async function impressionsSince(
  db: Db,
  inventorySourceId: number,
  fromDay: string,
): Promise<number> {
  const [recent] = await db
    .select({ n: sql<number>`coalesce(sum(${adServerDelivery.impressions}), 0)::int` })
    .from(adServerDelivery)
    .where(
      and(
        eq(adServerDelivery.inventorySourceId, inventorySourceId),
        gte(adServerDelivery.day, fromDay),
      ),
    );
  return recent?.n ?? 0;
}
