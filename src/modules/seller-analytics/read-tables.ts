import { date, doublePrecision, integer, jsonb, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';
import type { Posture } from '../postures/index.js';

/**
 * Read-only projections of other modules' tables: the columns seller analytics reads, and no
 * more (storefront_media_buys and customers' names: modules/order-views). Deliberately not in tables.ts (drizzle-kit must not see them: their owners migrate
 * them). Nothing in this module writes through these.
 */

/** discovery_runs (module discovery-runs). */
export const discoveryRunsRead = pgTable('discovery_runs', {
  id: bigintNumber('id').notNull(),
  storefrontId: integer('storefront_id').notNull(),
  buyerCustomerId: integer('buyer_customer_id'),
  operatorDomain: text('operator_domain'),
  brandDomain: text('brand_domain'),
  country: text('country'),
  buyingMode: text('buying_mode'),
  brief: text('brief'),
  refine: jsonb('refine').$type<unknown[]>(),
  productIds: jsonb('product_ids').$type<string[]>().notNull(),
  sourceOutcomes: jsonb('source_outcomes')
    .$type<{ sourceId: string; ok: boolean; productCount: number; errorCode?: string }[]>()
    .notNull(),
  discountPercent: doublePrecision('discount_percent'),
  selectedPosture: text('selected_posture').$type<Posture>(),
  recommendedPosture: text('recommended_posture').$type<Posture>(),
  postureRationale: text('posture_rationale'),
  durationMs: integer('duration_ms').notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

/** merchandising_events (module merchandising-events). */
export const merchandisingEventsRead = pgTable('merchandising_events', {
  id: bigintNumber('id').notNull(),
  storefrontId: integer('storefront_id').notNull(),
  buyerCustomerId: integer('buyer_customer_id').notNull(),
  mediaBuyId: text('media_buy_id'),
  event: text('event').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

/** storefront_delivery_days (module merchandising-events). */
export const storefrontDeliveryDaysRead = pgTable('storefront_delivery_days', {
  storefrontId: integer('storefront_id').notNull(),
  mediaBuyId: text('media_buy_id').notNull(),
  packageId: text('package_id').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  impressions: bigintNumber('impressions').notNull(),
  clicks: bigintNumber('clicks').notNull(),
  spend: numeric('spend', { precision: 18, scale: 2 }).notNull(),
  currency: text('currency').notNull(),
});
