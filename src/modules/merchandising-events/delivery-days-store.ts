import { and, eq, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { storefrontDeliveryDays } from './tables.js';

/** One package's days as a source reported them (AdCP by_package[].daily_breakdown). */
export interface PackageDays {
  packageId: string;
  currency: string;
  days: Array<{ day: string; impressions: number; spend: number; clicks?: number | undefined }>;
  /**
   * The package's clicks over those days, for a source that gives clicks only as a total (AdCP's
   * daily breakdown has none): they go on the last day, less what the days before it hold.
   */
  clicksTotal?: number | undefined;
}

export interface DeliverySubject {
  storefrontId: number;
  buyerCustomerId: number;
  mediaBuyId: string;
}

/**
 * Records a buy's reported days, each replacing what was on record for it, in one transaction.
 * Clicks a day does not carry are left as they were, but for the package's clicks total, which
 * sets the last day's clicks (never below 0) so the days sum to it.
 */
export async function recordDeliveryDays(
  db: Db,
  subject: DeliverySubject,
  packages: PackageDays[],
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const pkg of packages) {
      if (pkg.days.length === 0) continue;
      const values = pkg.days.map((d) => ({
        ...subject,
        packageId: pkg.packageId,
        day: d.day,
        impressions: Math.max(0, Math.round(d.impressions)),
        clicks: Math.max(0, Math.round(d.clicks ?? 0)),
        spend: Math.max(0, d.spend).toFixed(2),
        currency: pkg.currency,
        reportedAt: at,
      }));
      const byDay = pkg.days.every((d) => d.clicks !== undefined);
      await tx
        .insert(storefrontDeliveryDays)
        .values(values)
        .onConflictDoUpdate({
          target: [
            storefrontDeliveryDays.storefrontId,
            storefrontDeliveryDays.mediaBuyId,
            storefrontDeliveryDays.packageId,
            storefrontDeliveryDays.day,
          ],
          set: {
            impressions: sql`excluded.impressions`,
            spend: sql`excluded.spend`,
            currency: sql`excluded.currency`,
            reportedAt: sql`excluded.reported_at`,
            ...(byDay && { clicks: sql`excluded.clicks` }),
          },
          // Every answer repeats the flight's days: a day that did not change is not rewritten.
          setWhere: sql`(${storefrontDeliveryDays.impressions}, ${storefrontDeliveryDays.spend}, ${storefrontDeliveryDays.currency}${byDay ? sql`, ${storefrontDeliveryDays.clicks}` : sql``})
            is distinct from (excluded.impressions, excluded.spend, excluded.currency${byDay ? sql`, excluded.clicks` : sql``})`,
        });
      if (!byDay && pkg.clicksTotal !== undefined) await clicksOnLastDay(tx, subject, pkg);
    }
  });
}

async function clicksOnLastDay(tx: Db, subject: DeliverySubject, pkg: PackageDays) {
  const days = pkg.days.map((d) => d.day).sort();
  const [first, last] = [days[0]!, days.at(-1)!];
  const same = columnsEqual(storefrontDeliveryDays, {
    storefrontId: subject.storefrontId,
    mediaBuyId: subject.mediaBuyId,
    packageId: pkg.packageId,
  });
  await tx
    .update(storefrontDeliveryDays)
    .set({
      clicks: sql`greatest(0, ${Math.round(pkg.clicksTotal ?? 0)}::bigint - coalesce((
        select sum(o.clicks) from storefront_delivery_days o
        where o.storefront_id = ${subject.storefrontId} and o.media_buy_id = ${subject.mediaBuyId}
          and o.package_id = ${pkg.packageId} and o.day >= ${first}::date and o.day < ${last}::date
      ), 0))`,
    })
    .where(and(same, eq(storefrontDeliveryDays.day, last)));
}
