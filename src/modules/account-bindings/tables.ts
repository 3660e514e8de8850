import { boolean, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Which Interchange buyer a `{brand, operator}` account at a seller agent belongs to: the first
 * buyer customer that used it there through a storefront operator's credential. The seller
 * cannot tell buyers apart behind that credential, so the pair alone would name the same
 * account for anyone; this row makes it one buyer's. Domains are stored normalized (lower
 * case, no trailing dot). Rows are never changed or deleted.
 */
export const upstreamAccountBindings = pgTable(
  'upstream_account_bindings',
  {
    /** The seller agent (inventory-sources agentIdFor: endpoint and protocol). */
    agentId: text('agent_id').notNull(),
    brandDomain: text('brand_domain').notNull(),
    operatorDomain: text('operator_domain').notNull(),
    /** A sandbox account (AdCP `sandbox: true`) is another account than the live one. */
    sandbox: boolean('sandbox').notNull().default(false),
    customerId: integer('customer_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.brandDomain, t.operatorDomain, t.sandbox] })],
);
