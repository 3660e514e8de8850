import { and, eq, inArray, isNotNull, lte, notInArray, or, gte, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import {
  campaignMediaBuysRead as campaignMediaBuys,
  campaignsRead as campaigns,
} from './read-tables.js';
import type { Metrics, PackageReport } from './report.js';
import { deliveryDaily } from './tables.js';
import { deliveryMetrics, type DeliveryMetric } from './metrics.js';

/** A placed buy as delivery import needs it (read-only from the campaigns module's table). */
export interface PlacedBuy {
  id: string;
  customerId: number;
  advertiserId: number;
  campaignId: string;
  salesAgentId: string;
  sellerMediaBuyId: string;
  account: Record<string, unknown>;
  currency: string;
}

const placedColumns = {
  id: campaignMediaBuys.id,
  customerId: campaignMediaBuys.customerId,
  advertiserId: campaignMediaBuys.advertiserId,
  campaignId: campaignMediaBuys.campaignId,
  salesAgentId: campaignMediaBuys.salesAgentId,
  sellerMediaBuyId: campaignMediaBuys.sellerMediaBuyId,
  account: campaignMediaBuys.account,
  currency: campaignMediaBuys.currency,
};

// A buy the seller never booked has nothing to report.
const neverDelivered = ['DRAFT', 'FAILED', 'REJECTED'] as const;

const asPlaced = (
  rows: (Omit<PlacedBuy, 'sellerMediaBuyId'> & { sellerMediaBuyId: string | null })[],
) =>
  rows.flatMap((r) => (r.sellerMediaBuyId ? [{ ...r, sellerMediaBuyId: r.sellerMediaBuyId }] : []));

/** A buy the seller booked, by our id; undefined when unknown or not booked. */
export async function findPlacedBuy(db: Db, mediaBuyId: string): Promise<PlacedBuy | undefined> {
  const rows = await db
    .select(placedColumns)
    .from(campaignMediaBuys)
    .where(eq(campaignMediaBuys.id, mediaBuyId));
  return asPlaced(rows)[0];
}

/** Whether the customer has a campaign with this id. */
export async function campaignIsOwn(db: Db, customerId: number, campaignId: string) {
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(columnsEqual(campaigns, { customerId, id: campaignId }));
  return rows.length > 0;
}

/** The booked buys of a customer's campaign (none when the campaign is another's). */
export async function placedBuysOfCampaign(
  db: Db,
  customerId: number,
  campaignId: string,
): Promise<PlacedBuy[]> {
  const rows = await db
    .select(placedColumns)
    .from(campaignMediaBuys)
    .where(
      and(
        eq(campaignMediaBuys.customerId, customerId),
        eq(campaignMediaBuys.campaignId, campaignId),
        notInArray(campaignMediaBuys.status, [...neverDelivered]),
      ),
    )
    .orderBy(campaignMediaBuys.createdAt, campaignMediaBuys.id);
  return asPlaced(rows);
}

/**
 * The booked buys a sweep imports: flight started, and not ended more than `graceMs` ago (a
 * seller's final figures arrive after the flight). Archived buys are left as they are.
 */
export async function buysToSweep(db: Db, now: Date, graceMs: number): Promise<string[]> {
  const rows = await db
    .select({ id: campaignMediaBuys.id })
    .from(campaignMediaBuys)
    .where(
      and(
        isNotNull(campaignMediaBuys.sellerMediaBuyId),
        notInArray(campaignMediaBuys.status, [...neverDelivered, 'ARCHIVED']),
        lte(campaignMediaBuys.startTime, now),
        or(
          gte(campaignMediaBuys.endTime, new Date(now.getTime() - graceMs)),
          inArray(campaignMediaBuys.status, ['ACTIVE']),
        ),
      ),
    )
    .orderBy(campaignMediaBuys.id);
  return rows.map((r) => r.id);
}

const metricColumns = deliveryMetrics.map((metric) => [metric.column, metric.key] as const);
type MetricColumn = DeliveryMetric['column'];

/** The seller's own per-day figures replace those days' rows (clicks too when it gave them). */
async function upsertDays(db: Db, buy: PlacedBuy, report: PackageReport, at: Date) {
  if (report.days.length === 0) return;
  await db
    .insert(deliveryDaily)
    .values(
      report.days.map(({ day, metrics }) => ({
        ...owner(buy),
        packageId: report.packageId,
        day,
        currency: report.currency,
        ...metrics,
        conversionValue: metrics.conversionValue.toFixed(2),
        spend: metrics.spend.toFixed(2),
        reportedAt: at,
      })),
    )
    .onConflictDoUpdate({
      target: [deliveryDaily.mediaBuyId, deliveryDaily.packageId, deliveryDaily.day],
      set: {
        currency: sql`excluded.currency`,
        impressions: sql`excluded.impressions`,
        spend: sql`excluded.spend`,
        ...(report.dayClicks && { clicks: sql`excluded.clicks` }),
        conversions: sql`excluded.conversions`,
        conversionValue: sql`excluded.conversion_value`,
        reportedAt: sql`excluded.reported_at`,
      },
    });
}

/**
 * A cumulative report's last day holds what the period's total exceeds the days of the period
 * already stored before it, computed in the one statement that writes it: importing the same
 * report again writes the same figure (never adds), and a later report of the same day replaces
 * it. A seller restating below what is stored gives 0, not a negative day. `columns` limits the
 * update to the metrics the day rows do not already hold.
 */
async function upsertCumulative(
  db: Db,
  buy: PlacedBuy,
  report: PackageReport,
  at: Date,
  columns: readonly MetricColumn[],
) {
  const value = (column: MetricColumn, key: keyof Metrics) => {
    const total = report.cumulative[key];
    const cast = column === 'spend' || column === 'conversion_value' ? 'numeric' : 'bigint';
    return sql`greatest(0, ${String(total)}::${sql.raw(cast)} - coalesce(sum(${sql.raw(column)}), 0))`;
  };
  const o = owner(buy);
  await db.execute(sql`
    insert into delivery_daily (customer_id, advertiser_id, campaign_id, media_buy_id, package_id,
      day, currency, ${sql.raw(metricColumns.map(([c]) => c).join(', '))}, reported_at)
    select ${o.customerId}, ${o.advertiserId}, ${o.campaignId}, ${o.mediaBuyId}, ${report.packageId},
      ${report.endDay}::date, ${report.currency},
      ${sql.join(
        metricColumns.map(([c, k]) => value(c, k)),
        sql`, `,
      )},
      ${at.toISOString()}::timestamptz
    from delivery_daily
    where media_buy_id = ${o.mediaBuyId} and package_id = ${report.packageId}
      and day >= ${report.startDay}::date and day < ${report.endDay}::date
    on conflict (media_buy_id, package_id, day) do update set
      ${sql.raw(
        [
          ...columns.map((c) => `${c} = excluded.${c}`),
          'currency = excluded.currency',
          'reported_at = excluded.reported_at',
        ].join(', '),
      )}
  `);
}

const owner = (buy: PlacedBuy) => ({
  customerId: buy.customerId,
  advertiserId: buy.advertiserId,
  campaignId: buy.campaignId,
  mediaBuyId: buy.id,
});

/**
 * Records one package's report in one transaction: the seller's per-day figures where it gave
 * them (impressions, spend, conversions, and clicks where its days carry them), and the
 * cumulative rule for what it did not break down by day (everything, or clicks and views when
 * days were given).
 */
export async function recordPackageReport(db: Db, buy: PlacedBuy, report: PackageReport, at: Date) {
  await db.transaction(async (tx) => {
    await upsertDays(tx, buy, report, at);
    const byDay = report.days.length > 0;
    const cumulative = report.dayClicks
      ? ['views', 'completed_views']
      : ['clicks', 'views', 'completed_views'];
    const columns = metricColumns.map(([c]) => c).filter((c) => !byDay || cumulative.includes(c));
    await upsertCumulative(tx, buy, report, at, columns);
  });
}
