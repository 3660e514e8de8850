import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * Idempotency keys of REST writes (DESIGN: "writes that a client may retry accept an
 * Idempotency-Key header; a replay returns the first answer"). One row per (owner, key): the
 * request it was first used with (method, path, a fingerprint of the body) and, once answered,
 * the answer. The owner (a customer, or an admin key) is part of the key: two customers never
 * share one.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    owner: text('owner').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    fingerprint: text('fingerprint').notNull(),
    state: text('state').$type<'in_progress' | 'completed'>().notNull(),
    responseStatus: integer('response_status'),
    responseContentType: text('response_content_type'),
    responseBody: text('response_body'),
    createdAt: timestamptz('created_at').notNull(),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.owner, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
