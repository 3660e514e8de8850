import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * The governance agent a buyer registered on one of its accounts at a storefront (AdCP
 * sync_governance): the storefront calls its check_governance before a buy moves money. An
 * account is the buyer's own on the storefront (agents/merchandising/platform.ts), so the key is
 * storefront, buyer and account id: another buyer naming the same account id holds another row.
 * One agent per account (the spec's maxItems: 1): a new sync replaces the row. The credential
 * the storefront presents to the agent is sealed (platform/crypto/secrets.ts), never returned.
 */
export const governanceAgents = pgTable(
  'governance_agents',
  {
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    accountId: text('account_id').notNull(),
    url: text('url').notNull(),
    /** AdCP auth-scheme (`Bearer`, `HMAC-SHA256`). */
    scheme: text('scheme').notNull(),
    credentialsSealed: text('credentials_sealed').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.buyerCustomerId, t.accountId] })],
);

/**
 * A buy its governance agent approved (create_media_buy under a registered agent): the plan it
 * was checked against and the agent's governance_context token, kept verbatim because the spec
 * has the seller send it on every later check of the buy's lifecycle (update_media_buy's
 * modification checks). Keyed by the buyer too: another buyer's buy is never found.
 */
export const governedBuys = pgTable(
  'governed_buys',
  {
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    accountId: text('account_id').notNull(),
    planId: text('plan_id').notNull(),
    governanceContext: text('governance_context'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.buyerCustomerId, t.mediaBuyId] })],
);
