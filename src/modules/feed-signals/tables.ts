import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/**
 * A storefront's subscription to a mirrored source's wholesale feed webhooks (AdCP 3.1
 * sync_accounts `notification_configs` at the source, source-kinds/agent/feed-mirror/), one row
 * per (source row, credential, account at the source): `keyDigest` names them, hashed. The row's
 * `id` is in the receiving URL. `signalSeq` moves on every signal received (any instance), so
 * every instance's mirror knows its set may be older than the source's version. Holds no product
 * data and no credential: a version signal only.
 */
export const feedMirrorSubscriptions = pgTable('feed_mirror_subscriptions', {
  id: text('id').primaryKey(),
  keyDigest: text('key_digest').notNull().unique(),
  sourceId: bigintNumber('source_id').notNull(),
  /** The source's agent URL: its origin publishes the keys its webhooks are signed with. */
  sourceUrl: text('source_url').notNull(),
  /** pending (asked, not confirmed), active (the source echoed it active), failed. */
  status: text('status').notNull(),
  signalSeq: integer('signal_seq').notNull().default(0),
  /** The source's `wholesale_feed_version` the last signal named. */
  signalledVersion: text('signalled_version'),
  /** Until when the subscription counts as confirmed (re-confirmed after), or retried after. */
  validUntil: timestamptz('valid_until').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});
