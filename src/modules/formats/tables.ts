import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

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
    fetchedAt: timestamptz('fetched_at').notNull(),
    /** Last time a buyer read the entry; refreshes stop for entries nobody reads any more. */
    readAt: timestamptz('read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.agentId] })],
);
