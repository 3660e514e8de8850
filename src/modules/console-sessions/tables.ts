import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * A signed-in console session, so it can be listed and ended server-side. The browser holds
 * the session token (inside the sealed cookie); only its SHA-256 is stored here, and nothing
 * secret is kept in clear (the API key stays in the sealed cookie, never in this table).
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    /** Public handle shown in the sessions list and used by "end"; not the token. */
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    customerId: integer('customer_id').notNull(),
    /** The API key the seller signed in with (its id, never the key). */
    keyId: text('key_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [
    uniqueIndex('console_sessions_token_hash_key').on(t.tokenHash),
    index('console_sessions_customer_idx').on(t.customerId),
    index('console_sessions_key_idx').on(t.keyId),
    index('console_sessions_expires_idx').on(t.expiresAt),
  ],
);
