import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * A buyer's account on a storefront as it registered it through AdCP 3.1 `sync_accounts`
 * (provisioning mode): kept so settings-update mode (`account: {account_id}`) and `list_accounts`
 * can name its brand and operator. Keyed by storefront, buyer and account id: another buyer
 * naming the same id holds another row (agents/merchandising/platform.ts derives the ids).
 * `firstSyncedAt` never moves once the row exists: list_accounts lists newest first by it.
 */
export const syncedAccounts = pgTable(
  'synced_accounts',
  {
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    accountId: text('account_id').notNull(),
    brand: jsonb('brand').$type<Record<string, unknown>>().notNull(),
    operator: text('operator').notNull(),
    sandbox: boolean('sandbox').notNull().default(false),
    paymentTerms: text('payment_terms'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    firstSyncedAt: timestamptz('first_synced_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.buyerCustomerId, t.accountId] })],
);

/** A product as a subscriber last heard of it: its digest and its pricing option ids. */
export interface SnapshotEntry {
  digest: string;
  pricing: string;
  pricingIds: string[];
}

/**
 * An account-level webhook subscriber (AdCP 3.1 core/notification-config.json), one row per
 * `subscriber_id` of a buyer's account on a storefront, in the order the buyer sent them. A
 * legacy credential is sealed (platform/crypto/secrets.ts), never returned. `feedSnapshot` is
 * what the subscriber was last told of the wholesale feed (product id → digest), from which the
 * next change's events are computed; null until the first scan after it was activated.
 * A subscriber the buyer sent active whose proof of control is still to come is held inactive
 * with `proof` 'pending' (agents/merchandising/feed-webhooks/proofs.ts).
 */
export const accountNotificationConfigs = pgTable(
  'account_notification_configs',
  {
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    accountId: text('account_id').notNull(),
    subscriberId: text('subscriber_id').notNull(),
    position: integer('position').notNull(),
    url: text('url').notNull(),
    eventTypes: jsonb('event_types').$type<string[]>().notNull(),
    /** AdCP auth-scheme (`Bearer`, `HMAC-SHA256`) of the legacy selector; null for RFC 9421. */
    authScheme: text('auth_scheme'),
    credentialsSealed: text('credentials_sealed'),
    active: boolean('active').notNull(),
    /**
     * An active subscriber not yet proved (webhook.challenge): 'pending' while a job is to prove
     * it (kept `active` false until then), 'refused' once its proof failed; null otherwise.
     */
    proof: text('proof').$type<'pending' | 'refused'>(),
    proofReason: text('proof_reason'),
    feedSnapshot: jsonb('feed_snapshot').$type<Record<string, SnapshotEntry>>(),
    feedVersion: text('feed_version'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.storefrontId, t.buyerCustomerId, t.accountId, t.subscriberId] }),
    index('account_notification_configs_active_idx')
      .on(t.storefrontId)
      .where(sql`${t.active}`),
  ],
);

export type FeedDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * The delivery log of wholesale feed webhooks: one row per event per subscriber, worked by a
 * durable job (retried with backoff); the payload is kept so every attempt posts the same body
 * under the same idempotency key.
 */
export const feedWebhookDeliveries = pgTable(
  'feed_webhook_deliveries',
  {
    id: text('id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    accountId: text('account_id').notNull(),
    subscriberId: text('subscriber_id').notNull(),
    notificationType: text('notification_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<FeedDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    deliveredAt: timestamptz('delivered_at'),
  },
  (t) => [index('feed_webhook_deliveries_owner_idx').on(t.storefrontId, t.buyerCustomerId)],
);

/**
 * Which of a storefront's sources holds a sandbox buyer's seeded product (issue 70, item 2):
 * the test controller's seed went there (agents/merchandising/sandbox/fixtures/seed-route.ts), and
 * a buy naming the seeded id is routed there by this row, on any instance and after a restart.
 * The buyer's own: another buyer seeding the same id holds another row.
 */
export const sandboxFixtureHolders = pgTable(
  'sandbox_fixture_holders',
  {
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    productId: text('product_id').notNull(),
    sourceId: text('source_id').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.buyerCustomerId, t.productId] })],
);
