import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

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
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    status: text('status').$type<FeedbackStatus>().notNull(),
    /** Why it was skipped or failed. */
    reason: text('reason'),
    conversions: integer('conversions'),
    spend: doublePrecision('spend'),
    performanceIndex: doublePrecision('performance_index'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The provide_performance_feedback request as sent. */
    request: jsonb('request').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('performance_feedback_buy_period_key').on(t.mediaBuyId, t.periodStart),
    index('performance_feedback_customer_idx').on(t.customerId),
  ],
);
