import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/** SENDING: claimed, the seller not yet confirmed; SENT: the seller took it; SKIPPED: nothing to send. */
export type FeedbackStatus = 'SENDING' | 'SENT' | 'SKIPPED' | 'FAILED';

/**
 * AdCP provide_performance_feedback sent (or deliberately not sent) for a placed media buy, one
 * row per (buy, measurement period): the row is claimed before the call, so a retry resends
 * under the same idempotency key and never sends a second feedback for the period.
 */
export const performanceFeedback = pgTable(
  'performance_feedback',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    periodStart: timestamptz('period_start').notNull(),
    periodEnd: timestamptz('period_end').notNull(),
    status: text('status').$type<FeedbackStatus>().notNull(),
    /** Why it was skipped or failed. */
    reason: text('reason'),
    conversions: integer('conversions'),
    spend: doublePrecision('spend'),
    performanceIndex: doublePrecision('performance_index'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The provide_performance_feedback request as sent. */
    request: jsonb('request').$type<Record<string, unknown>>(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('performance_feedback_buy_period_key').on(t.mediaBuyId, t.periodStart),
    index('performance_feedback_customer_idx').on(t.customerId),
  ],
);
