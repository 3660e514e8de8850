/**
 * Buyers' accounts on storefronts and their account-level webhook subscribers (AdCP 3.1
 * sync_accounts notification_configs), with the delivery log of the wholesale feed webhooks sent
 * to them (agents/merchandising/feed-webhooks/).
 */
export {
  createAccountNotifications,
  type AccountKey,
  type AccountOwner,
  accountsListed,
  type SaveOutcome,
  type AccountNotifications,
  type FeedSubscriber,
  type HeldProof,
  type NotificationConfig,
  type SyncedAccount,
} from './store.js';
export {
  createFeedDeliveries,
  type FeedDeliveries,
  type FeedDeliveryRow,
  type NewFeedDelivery,
} from './delivery-store.js';
export type { SnapshotEntry } from './tables.js';
export { createFixtureHolders, type FixtureHolders } from './fixture-holders-store.js';
