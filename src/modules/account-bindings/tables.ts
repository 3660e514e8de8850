import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Which Interchange buyer an account at a seller agent belongs to: the first buyer customer
 * that used it there through a storefront operator's credential. The seller cannot tell buyers
 * apart behind that credential, so the account's name alone would reach the same account for
 * anyone; this row makes it one buyer's. An account is named either by `{brand, operator}`
 * (domains stored normalized: lower case, no trailing dot; account_id empty) or by the
 * seller's own `account_id` (brand and operator empty). Rows are never changed or deleted.
 */
export const upstreamAccountBindings = pgTable(
  'upstream_account_bindings',
  {
    /** The seller agent (inventory-sources agentIdFor: endpoint and protocol). */
    agentId: text('agent_id').notNull(),
    brandDomain: text('brand_domain').notNull(),
    operatorDomain: text('operator_domain').notNull(),
    /** The seller's own id for the account, exactly as it issued it; empty for a pair. */
    accountId: text('account_id').notNull().default(''),
    customerId: integer('customer_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.agentId, t.brandDomain, t.operatorDomain, t.accountId] }),
    // Exactly one way of naming the account per row.
    check(
      'upstream_account_bindings_one_name',
      sql`(${t.accountId} = '') <> (${t.brandDomain} = '' and ${t.operatorDomain} = '')`,
    ),
  ],
);
