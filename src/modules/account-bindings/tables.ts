import { boolean, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

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
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.brandDomain, t.operatorDomain, t.sandbox] })],
);

/**
 * Which Interchange buyer an account on the seller's own side (its advertiser) belongs to, at a
 * seller that finds advertisers by brand (a sales-social seller): two agencies' `{brand,
 * operator}` pairs are two rows above, yet such a seller may answer both with one advertiser,
 * which behind the storefront operator's one credential would be both agencies'. `sellerAccount`
 * is `account <id>` for the account_id the seller's sync_accounts answered for a pair, or `brand
 * <domain>` where the seller names none (the brand is then taken as its advertiser). Rows are
 * never changed or deleted.
 */
export const upstreamSellerAccounts = pgTable(
  'upstream_seller_accounts',
  {
    agentId: text('agent_id').notNull(),
    sellerAccount: text('seller_account').notNull(),
    sandbox: boolean('sandbox').notNull().default(false),
    customerId: integer('customer_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.sellerAccount, t.sandbox] })],
);
