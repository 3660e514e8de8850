import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What one storefront agent answered a buyer's list_creative_formats with. The answer depends
 * on the buyer (the agent asks its sources with the buyer's credentials and linked accounts),
 * so the cache is keyed by customer and agent. A refresh job replaces it on a schedule.
 */
export const buyerFormatCaches = pgTable(
  'buyer_format_caches',
  {
    customerId: integer('customer_id').notNull(),
    agentId: text('agent_id').notNull(),
    formats: jsonb('formats').$type<Record<string, unknown>[]>().notNull().default([]),
    /** Why the last refresh failed; the formats are then the last good answer's. */
    lastError: text('last_error'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
    /** Last time a buyer read the entry; refreshes stop for entries nobody reads any more. */
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.agentId] })],
);
