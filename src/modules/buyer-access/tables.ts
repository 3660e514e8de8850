import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/**
 * A buyer's credential for one underlying agent. It covers every source on that agent, across
 * storefronts (sources share an agentId when they share an endpoint). The secret is sealed.
 */
export const buyerCredentials = pgTable(
  'buyer_credentials',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 701 }),
    customerId: integer('customer_id').notNull(),
    agentId: text('agent_id').notNull(),
    accountIdentifier: text('account_identifier').notNull(),
    accountType: text('account_type').$type<'CLIENT' | 'MARKETPLACE'>().notNull().default('CLIENT'),
    authType: text('auth_type').$type<'api_key' | 'jwt' | 'basic' | 'oauth' | 'none'>().notNull(),
    authSealed: text('auth_sealed'),
    status: text('status').$type<'ACTIVE' | 'INVALID' | 'PENDING'>().notNull(),
    statusReason: text('status_reason'),
    advertiserId: text('advertiser_id'),
    registeredBy: text('registered_by'),
    checkedAt: timestamptz('checked_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('buyer_credentials_account_key').on(t.customerId, t.agentId, t.accountIdentifier),
    index('buyer_credentials_customer_idx').on(t.customerId, t.agentId),
  ],
);

/** Interest submissions: buyers asking for access to (upcoming) storefronts. */
export const buyerInterest = pgTable(
  'buyer_interest',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    userId: integer('user_id'),
    storefrontIds: jsonb('storefront_ids').$type<number[]>().notNull(),
    notes: text('notes'),
    submittedAt: timestamptz('submitted_at').notNull().defaultNow(),
  },
  (t) => [index('buyer_interest_customer_idx').on(t.customerId, t.submittedAt)],
);

/**
 * Pending OAuth consent flows: single use (`used_at`), expiring, bound to the customer and user
 * that started them. The PKCE verifier is sealed.
 */
export const oauthStates = pgTable('oauth_states', {
  state: text('state').primaryKey(),
  customerId: integer('customer_id').notNull(),
  userId: integer('user_id').notNull(),
  agentId: text('agent_id').notNull(),
  credentialId: bigintNumber('credential_id').notNull(),
  verifierSealed: text('verifier_sealed').notNull(),
  tokenEndpoint: text('token_endpoint').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
  usedAt: timestamptz('used_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});
