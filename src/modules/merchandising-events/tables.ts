import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

export type MerchandisingEvent =
  | 'media_buy_submitted_for_approval'
  | 'media_buy_forwarded'
  | 'media_buy_forward_failed'
  | 'media_buy_rejected'
  | 'delivery_reported';

/** Outcome events of media buys, tied to the discovery run that showed the products. */
export const merchandisingEvents = pgTable(
  'merchandising_events',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    mediaBuyId: text('media_buy_id'),
    discoveryRunId: bigintNumber('discovery_run_id'),
    event: text('event').$type<MerchandisingEvent>().notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('merchandising_events_storefront_idx').on(t.storefrontId, t.createdAt)],
);

/**
 * What the storefront's media buys delivered per package and UTC day, as their sources last
 * reported it through the storefront agent (get_media_buy_delivery with each package's daily
 * breakdown): a day's row is replaced by a later report of that day, never added to. Storefront
 * reporting dates delivery by these days; a buy whose sources give no daily breakdown has none
 * and is reported from its delivery_reported events instead.
 */
export const storefrontDeliveryDays = pgTable(
  'storefront_delivery_days',
  {
    storefrontId: integer('storefront_id').notNull(),
    /** The storefront's media buy id (storefront_media_buys.media_buy_id). */
    mediaBuyId: text('media_buy_id').notNull(),
    /** The storefront's package id (namespaced by source). */
    packageId: text('package_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    impressions: bigintNumber('impressions').notNull().default(0),
    clicks: bigintNumber('clicks').notNull().default(0),
    spend: numeric('spend', { precision: 18, scale: 2 }).notNull().default('0'),
    currency: text('currency').notNull(),
    reportedAt: timestamptz('reported_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storefrontId, t.mediaBuyId, t.packageId, t.day] }),
    index('storefront_delivery_days_day_idx').on(t.storefrontId, t.day),
  ],
);
