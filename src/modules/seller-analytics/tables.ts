import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';
import type { Posture } from '../postures/index.js';
import type { LeftOutReason } from './runs/left-out.js';

/**
 * The negotiation posture a discovery run used, and the history-derived recommendation in
 * force when it ran. Kept beside discovery_runs (not a column of it) so this module owns what
 * it adds; the storefront agent records a row per run through `recordRunPosture`. Runs without
 * a row have no selected posture and are not comparable for adherence.
 */
export const discoveryRunPostures = pgTable(
  'discovery_run_postures',
  {
    discoveryRunId: bigintNumber('discovery_run_id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    selectedPosture: text('selected_posture').$type<Posture>(),
    recommendedPosture: text('recommended_posture').$type<Posture>(),
    rationale: text('rationale'),
    evidence: jsonb('evidence').$type<string[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('discovery_run_postures_storefront_idx').on(t.storefrontId)],
);

/**
 * Incremental rollup of outcome events by their last-touch run and media buy (issue 17, item
 * 7): events older than the settle delay are attributed once, in SQL, and folded here, so a
 * window read costs its (run, buy) pairs, not its events. Events past the watermark are
 * attributed live on read with the same rule. Counts add; "latest" keeps the greatest
 * (created_at, id).
 */
export const sellerAnalyticsRollup = pgTable(
  'seller_analytics_rollup',
  {
    runId: bigintNumber('run_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    submittedCount: integer('submitted_count').notNull().default(0),
    forwardedCount: integer('forwarded_count').notNull().default(0),
    forwardFailedCount: integer('forward_failed_count').notNull().default(0),
    rejectedCount: integer('rejected_count').notNull().default(0),
    deliveryReportedCount: integer('delivery_reported_count').notNull().default(0),
    latestEvent: text('latest_event').notNull(),
    latestAt: timestamptz('latest_at').notNull(),
    latestEventId: bigintNumber('latest_event_id').notNull(),
    deliveryAt: timestamptz('delivery_at'),
    deliveryEventId: bigintNumber('delivery_event_id'),
    deliveryDetail: jsonb('delivery_detail').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.mediaBuyId] })],
);

/** Per storefront: the last merchandising_events id folded into the rollup. */
export const sellerAnalyticsWatermarks = pgTable('seller_analytics_watermarks', {
  storefrontId: integer('storefront_id').primaryKey(),
  eventId: bigintNumber('event_id').notNull().default(0),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * The postures the seller has accepted from history's recommendations (issue 47, item 2): a
 * recommendation changes get_products only while its posture is accepted here. One row per
 * (storefront, posture); removing it withdraws the acceptance.
 */
export const postureAcceptances = pgTable(
  'posture_acceptances',
  {
    storefrontId: integer('storefront_id').notNull(),
    posture: text('posture').$type<Posture>().notNull(),
    acceptedAt: timestamptz('accepted_at').notNull().defaultNow(),
    acceptedBy: integer('accepted_by'),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.posture] })],
);

/**
 * What a discovery run left out of its answer and why (issue 47, item 2): counts by reason and
 * the first products left out, bounded so a run of 100,000 candidates costs one small row.
 * Written by the storefront agent after the run is committed (recordRunLeftOut); a run without
 * a row has no record of it (older runs, or a write that failed).
 */
export const discoveryRunLeftOut = pgTable(
  'discovery_run_left_out',
  {
    discoveryRunId: bigintNumber('discovery_run_id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    total: integer('total').notNull(),
    byReason: jsonb('by_reason').$type<Partial<Record<LeftOutReason, number>>>().notNull(),
    sample: jsonb('sample').$type<Array<{ productId: string; reason: string }>>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('discovery_run_left_out_storefront_idx').on(t.storefrontId)],
);
