import { date, index, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/**
 * What sellers reported a buyer's placed media buys delivered, one row per (media buy, package,
 * day), built for aggregation: owner, advertiser and campaign are copied from the buy at import
 * (ids across the boundary) so reporting groups and filters without joining the buys. A day's
 * row is replaced by the seller's latest report of that day, never added to (the key is the
 * upsert's conflict target). Money is numeric(18,2): sums are exact to the cent in any view.
 */
export const deliveryDaily = pgTable(
  'delivery_daily',
  {
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    /** Our media buy id (campaign_media_buys.id), not the seller's. */
    mediaBuyId: text('media_buy_id').notNull(),
    /** The seller's package id, as the storefront agent reports it. */
    packageId: text('package_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    impressions: bigintNumber('impressions').notNull().default(0),
    clicks: bigintNumber('clicks').notNull().default(0),
    views: bigintNumber('views').notNull().default(0),
    completedViews: bigintNumber('completed_views').notNull().default(0),
    /** Conversions the seller attributed; the advertiser's own events are joined at read time. */
    conversions: bigintNumber('conversions').notNull().default(0),
    conversionValue: numeric('conversion_value', { precision: 18, scale: 2 })
      .notNull()
      .default('0'),
    spend: numeric('spend', { precision: 18, scale: 2 }).notNull().default('0'),
    /** When the report this row holds was received. */
    reportedAt: timestamptz('reported_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.mediaBuyId, t.packageId, t.day] }),
    // Also the order a download pages through (keyset on day, buy, package).
    index('delivery_daily_customer_day_idx').on(t.customerId, t.day, t.mediaBuyId, t.packageId),
    index('delivery_daily_advertiser_day_idx').on(t.customerId, t.advertiserId, t.day),
    index('delivery_daily_campaign_day_idx').on(t.customerId, t.campaignId, t.day),
  ],
);

/**
 * delivery_daily summed per third of a calendar month (UTC): days 1-10, 11-20 and 21 to the
 * month's end, so a report reads one row per package for each such block lying wholly inside
 * its period, and daily rows only for the at most ten days at either edge. Kept equal to the sum
 * of its daily rows by triggers on delivery_daily (migration 0022, hand-written part): every
 * insert, update or delete of daily rows applies the difference between the new and the
 * replaced rows in the same statement, so a re-import never double counts and concurrent
 * writers are settled by the rows' locks. `days` counts the daily rows summed; a row at 0 holds
 * nothing (a day moved to another currency or deleted) and is skipped by readers. Same owner and
 * group columns as the daily rows, all in the key: a block never mixes what a daily query would
 * keep apart.
 */
export const deliveryRollup = pgTable(
  'delivery_rollup',
  {
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    packageId: text('package_id').notNull(),
    /** The block's first day: the 1st, 11th or 21st of a month. */
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    days: integer('days').notNull(),
    impressions: bigintNumber('impressions').notNull(),
    clicks: bigintNumber('clicks').notNull(),
    views: bigintNumber('views').notNull(),
    completedViews: bigintNumber('completed_views').notNull(),
    conversions: bigintNumber('conversions').notNull(),
    /** Unbounded numeric: a block's sum of numeric(18,2) days, still exact to the cent. */
    conversionValue: numeric('conversion_value').notNull(),
    spend: numeric('spend').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'delivery_rollup_pk',
      columns: [
        t.customerId,
        t.advertiserId,
        t.campaignId,
        t.mediaBuyId,
        t.packageId,
        t.periodStart,
        t.currency,
      ],
    }),
    index('delivery_rollup_campaign_idx').on(t.customerId, t.campaignId, t.periodStart),
    index('delivery_rollup_media_buy_idx').on(t.customerId, t.mediaBuyId, t.periodStart),
  ],
);
