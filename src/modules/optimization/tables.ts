import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';
import type { BudgetAdjustment, PacingRecommendation } from './analyse.js';

/**
 * Hosted OptimizationSuggestion statuses. Ours go: MANUAL HIL_WAITING → HIL_APPROVED (approve)
 * or HIL_REJECTED (reject); AUTO INGESTED (queued at once) or REJECTED (rejected before it ran);
 * an approved or ingested one → APPLIED or APPLIED_FAIL; an open one whose buy's budgets changed
 * or that stopped running → EXPIRED. CREATED, CREATED_FAILED and INGESTED_FAIL are never set.
 */
export const suggestionStatuses = [
  'CREATED',
  'CREATED_FAILED',
  'INGESTED',
  'INGESTED_FAIL',
  'HIL_WAITING',
  'HIL_APPROVED',
  'HIL_REJECTED',
  'APPLIED',
  'APPLIED_FAIL',
  'REJECTED',
  'EXPIRED',
] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

/** Waiting for the buyer or for the apply job. */
export const openStatuses: SuggestionStatus[] = ['HIL_WAITING', 'HIL_APPROVED', 'INGESTED'];
/** Queued for the apply job. */
export const applicableStatuses: SuggestionStatus[] = ['HIL_APPROVED', 'INGESTED'];

/**
 * Optimisation suggestions (issue 32): a budget shift between the packages of one placed buy,
 * derived from its delivery against its campaign's primary goal. `basis` fingerprints the buy's
 * package budgets the suggestion was made from: one suggestion per (buy, basis), so concurrent
 * sweeps make it once and a rejected one is not suggested again until the budgets change.
 * `applyingSince` is the apply job's lease.
 */
export const optimizationSuggestions = pgTable(
  'optimization_suggestions',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    /** The sweep that made it (hosted optimizerRunId). */
    runId: text('run_id').notNull(),
    basis: text('basis').notNull(),
    applyMode: text('apply_mode').$type<'AUTO' | 'MANUAL'>().notNull(),
    metric: text('metric').notNull(),
    rationale: text('rationale').notNull(),
    currency: text('currency').notNull(),
    adjustments: jsonb('adjustments').$type<BudgetAdjustment[]>().notNull(),
    pacing: jsonb('pacing').$type<PacingRecommendation>(),
    status: text('status').$type<SuggestionStatus>().notNull(),
    statusReason: text('status_reason'),
    statusError: text('status_error'),
    applyingSince: timestamptz('applying_since'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    statusUpdatedAt: timestamptz('status_updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('optimization_suggestions_basis_key').on(t.mediaBuyId, t.basis),
    index('optimization_suggestions_customer_idx').on(t.customerId, t.createdAt),
    index('optimization_suggestions_open_idx')
      .on(t.mediaBuyId)
      .where(sql`status in ('HIL_WAITING', 'HIL_APPROVED', 'INGESTED')`),
  ],
);

export type SuggestionRow = typeof optimizationSuggestions.$inferSelect;
export type NewSuggestion = typeof optimizationSuggestions.$inferInsert;
