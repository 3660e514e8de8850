import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { deliveryDaily } from './tables.js';

/** Whose spend: one media buy's, or an advertiser's over all its buys. */
export type SpendOf = { mediaBuyId: string } | { advertiserId: number };

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * What sellers reported a customer's buy (or advertiser) spent on the UTC days in [start, end)
 * (delivery_daily), in the buys' currencies as recorded. Another customer's has none.
 */
export async function spendBetween(
  db: Db,
  customerId: number,
  of: SpendOf,
  start: Date,
  end: Date,
): Promise<number> {
  const whose =
    'mediaBuyId' in of
      ? eq(deliveryDaily.mediaBuyId, of.mediaBuyId)
      : eq(deliveryDaily.advertiserId, of.advertiserId);
  const [row] = await db
    .select({ spend: sql<string>`coalesce(sum(${deliveryDaily.spend}), 0)` })
    .from(deliveryDaily)
    .where(
      and(
        eq(deliveryDaily.customerId, customerId),
        whose,
        gte(deliveryDaily.day, dayOf(start)),
        lt(deliveryDaily.day, dayOf(end)),
      ),
    );
  return Number(row?.spend ?? 0);
}
