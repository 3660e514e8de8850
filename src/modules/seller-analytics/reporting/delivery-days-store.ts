import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { customersRead, storefrontMediaBuysRead } from '../../order-views/index.js';
import { storefrontDeliveryDaysRead as days } from '../read-tables.js';

/**
 * The storefront's delivery per buy and UTC day in [start, end] (summed over its packages), as
 * its sources reported it by day (storefront_delivery_days), with each buy's record and buyer.
 */
export function deliveryDaysOf(db: Db, storefrontId: number, start: string, end: string) {
  return db
    .select({
      day: days.day,
      impressions: sql<number>`sum(${days.impressions})::float8`,
      clicks: sql<number>`sum(${days.clicks})::float8`,
      spend: sql<number>`sum(${days.spend})::float8`,
      buy: storefrontMediaBuysRead,
      buyerName: customersRead.name,
    })
    .from(days)
    .innerJoin(
      storefrontMediaBuysRead,
      and(
        eq(storefrontMediaBuysRead.storefrontId, days.storefrontId),
        eq(storefrontMediaBuysRead.mediaBuyId, days.mediaBuyId),
      ),
    )
    .leftJoin(customersRead, eq(customersRead.id, storefrontMediaBuysRead.buyerCustomerId))
    .where(and(eq(days.storefrontId, storefrontId), gte(days.day, start), lte(days.day, end)))
    .groupBy(days.day, storefrontMediaBuysRead.id, customersRead.name)
    .orderBy(asc(days.day), asc(storefrontMediaBuysRead.mediaBuyId));
}

/** Which of the buys have any day reported by day (they are reported from those days only). */
export async function buysReportedByDay(db: Db, storefrontId: number, mediaBuyIds: string[]) {
  if (mediaBuyIds.length === 0) return new Set<string>();
  const rows = await db
    .selectDistinct({ mediaBuyId: days.mediaBuyId })
    .from(days)
    .where(and(eq(days.storefrontId, storefrontId), inArray(days.mediaBuyId, mediaBuyIds)));
  return new Set(rows.map((r) => r.mediaBuyId));
}
