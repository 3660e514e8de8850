import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import type { ProviderAccount, ProviderRefs } from './contract.js';

/*
 * Wired provider adapters (seed 003): an inventory source whose buys go into a provider's ad
 * account (Meta, Google Ads, TikTok, …) after its operator connected the account by delegated
 * OAuth. The source row belongs to inventory-sources; these tables hang off its id.
 */

/** A source's connection to its provider account: the sealed grant and the account chosen. */
export const providerConnections = pgTable(
  'provider_connections',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    /** The operator's customer: only it sees or changes the connection. */
    customerId: integer('customer_id').notNull(),
    provider: text('provider').notNull(),
    /** PENDING (no grant yet) · CONNECTED · NEEDS_RECONNECT (grant lost) · DISCONNECTED. */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    /** The ProviderGrant, sealed with the connection id as context; null without one. */
    grantSealed: text('grant_sealed'),
    expiresAt: timestamptz('expires_at'),
    lastRefreshedAt: timestamptz('last_refreshed_at'),
    accounts: jsonb('accounts').$type<ProviderAccount[]>().notNull().default([]),
    selectedAccountId: text('selected_account_id'),
    /** Provider-specific, non-secret settings (Meta: pageId, defaultCountries). */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    connectedBy: integer('connected_by'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('provider_connections_source_uq').on(t.inventorySourceId)],
);

/**
 * A consent in flight: single use, expiring, bound to the customer and user that started it.
 * Stored by the state's SHA-256 (the state itself travels only in the URL); the PKCE verifier
 * is sealed.
 */
export const providerOAuthStates = pgTable('provider_oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  connectionId: bigintNumber('connection_id').notNull(),
  customerId: integer('customer_id').notNull(),
  userId: integer('user_id').notNull(),
  verifierSealed: text('verifier_sealed').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
  consumedAt: timestamptz('consumed_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** A storefront buy placed in a provider account: what was asked and what the provider made. */
export const providerBuys = pgTable(
  'provider_buys',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    provider: text('provider').notNull(),
    accountId: text('account_id').notNull(),
    /** pending (objects being made) · active · paused · canceled · failed. */
    status: text('status').notNull(),
    currency: text('currency').notNull(),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time').notNull(),
    packages: jsonb('packages')
      .$type<
        Array<{ packageId: string; productId: string; budget: number; pricingOptionId: string }>
      >()
      .notNull(),
    refs: jsonb('refs').$type<ProviderRefs>().notNull(),
    /**
     * The call placing a pending buy (one at a time: buys/lease.ts), until leaseUntil; once that
     * has passed (its process died) the next call under the key takes it over.
     */
    leaseToken: text('lease_token'),
    leaseUntil: timestamptz('lease_until'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('provider_buys_idempotency_uq').on(
      t.inventorySourceId,
      t.buyerCustomerId,
      t.idempotencyKey,
    ),
    index('provider_buys_buyer_idx').on(t.inventorySourceId, t.buyerCustomerId),
  ],
);

/**
 * What a buyer made through an adapter source's sales-social tools (an audience, an event
 * source): the buyer's own id for it, the provider's id, and the buyer who owns it. Another
 * buyer naming the same id gets an object of its own, never this one.
 */
export const providerSocialObjects = pgTable(
  'provider_social_objects',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    /** audience · event_source · catalog. */
    kind: text('kind').notNull(),
    /** The buyer's id (audience_id, event_source_id). */
    buyerRef: text('buyer_ref').notNull(),
    /** The name it carries at the provider, which finds it again after a lost answer. */
    providerName: text('provider_name').notNull(),
    /** Null until the provider answered its create. */
    providerId: text('provider_id'),
    /** The buyer's words for it: name, description, tags, event types, upload counts. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('provider_social_objects_uq').on(
      t.inventorySourceId,
      t.buyerCustomerId,
      t.kind,
      t.buyerRef,
    ),
  ],
);
