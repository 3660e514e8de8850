import {
  bigint,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Posture } from '../postures/index.js';

/**
 * Read-only projections of other modules' tables: the columns seller analytics reads, and no
 * more. Deliberately not in tables.ts (drizzle-kit must not see them: their owners migrate
 * them). Nothing in this module writes through these.
 */

/** discovery_runs (module discovery-runs). */
export const discoveryRunsRead = pgTable('discovery_runs', {
  id: bigint('id', { mode: 'number' }).notNull(),
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
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** merchandising_events (module merchandising-events). */
export const merchandisingEventsRead = pgTable('merchandising_events', {
  id: bigint('id', { mode: 'number' }).notNull(),
  storefrontId: integer('storefront_id').notNull(),
  buyerCustomerId: integer('buyer_customer_id').notNull(),
  mediaBuyId: text('media_buy_id'),
  event: text('event').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export interface ForwardLegRead {
  sourceId: string;
  status: 'completed' | 'submitted' | 'failed';
  upstreamMediaBuyId?: string;
  mediaBuyStatus?: string;
  packages?: { packageId: string; upstreamPackageId: string; productId: string }[];
  error?: { code: string; message: string };
}

/** storefront_media_buys (module media-buys). */
export const storefrontMediaBuysRead = pgTable('storefront_media_buys', {
  id: bigint('id', { mode: 'number' }).notNull(),
  storefrontId: integer('storefront_id').notNull(),
  buyerCustomerId: integer('buyer_customer_id').notNull(),
  mediaBuyId: text('media_buy_id').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  submittedPayload: jsonb('submitted_payload').$type<Record<string, unknown>>().notNull(),
  approvalMode: text('approval_mode').notNull(),
  approvalStatus: text('approval_status'),
  reviewedBy: text('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  reviewerNotes: text('reviewer_notes'),
  forwardOutcome: text('forward_outcome'),
  forwardResult: jsonb('forward_result').$type<ForwardLegRead[]>(),
  forwardError: text('forward_error'),
  forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** customers (module identity): the buyer's display name. */
export const customersRead = pgTable('customers', {
  id: integer('id').notNull(),
  name: text('name').notNull(),
});
