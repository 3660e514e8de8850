import { sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { deliveryMetrics, type Metrics } from './metrics.js';
import { deliveryDaily } from './tables.js';

/** What one package of a buy delivered so far, in one currency, as sellers reported it. */
export interface PackageTotals extends Metrics {
  packageId: string;
  currency: string;
}

/**
 * A buyer's media buy's delivery summed per package and currency over every recorded day
 * (delivery_daily; the optimizer weighs packages by it). Another customer's buy has none.
 */
export async function packageTotalsOf(
  db: Db,
  customerId: number,
  mediaBuyId: string,
): Promise<PackageTotals[]> {
  const sums = Object.fromEntries(
    deliveryMetrics.map((m) => [m.key, sql<string>`sum(${sql.identifier(m.column)})`]),
  );
  const rows = await db
    .select({ packageId: deliveryDaily.packageId, currency: deliveryDaily.currency, ...sums })
    .from(deliveryDaily)
    .where(columnsEqual(deliveryDaily, { customerId, mediaBuyId }))
    .groupBy(deliveryDaily.packageId, deliveryDaily.currency);
  return rows.map((r) => {
    const row = r as Record<string, unknown>;
    const totals = { packageId: r.packageId, currency: r.currency } as PackageTotals;
    for (const m of deliveryMetrics) totals[m.key] = Number(row[m.key] ?? 0);
    return totals;
  });
}
