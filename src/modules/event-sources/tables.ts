import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/** The hosted document's persisted source-to-log_event field mapping (kept as given). */
export type EventMapping = Record<string, unknown>;

/**
 * An advertiser's registered event sources (AdCP sync_event_sources): the pixels, SDKs and
 * feeds allowed to send conversion events. `eventSourceId` is the buyer's own word, unique per
 * advertiser. delete_missing archives (archivedAt) so events already logged keep their source;
 * syncing the same id again brings it back.
 */
export const eventSources = pgTable(
  'event_sources',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    eventSourceId: text('event_source_id').notNull(),
    name: text('name').notNull(),
    /** null: every event type is accepted. */
    eventTypes: jsonb('event_types').$type<string[]>(),
    /** null: events from any domain are accepted. */
    allowedDomains: jsonb('allowed_domains').$type<string[]>(),
    integrationPlatform: text('integration_platform'),
    mapping: jsonb('mapping').$type<EventMapping>(),
    testEventCode: text('test_event_code'),
    lastEventAt: timestamptz('last_event_at'),
    lastEventReceivedAt: timestamptz('last_event_received_at'),
    lastEventType: text('last_event_type'),
    lastError: text('last_error'),
    lastErrorAt: timestamptz('last_error_at'),
    archivedAt: timestamptz('archived_at'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('event_sources_advertiser_key').on(t.advertiserId, t.eventSourceId)],
);

/**
 * Events accepted by log-event, one row per (source, event_id): a retried batch counts once.
 * User identifiers (hashed email, phone, IP, click ids) are not stored: nothing here matches
 * them yet, and what is not kept cannot leak; `hasUserMatch` keeps the match-quality signal.
 */
export const loggedEvents = pgTable(
  'logged_events',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    sourceRowId: bigintNumber('source_row_id')
      .notNull()
      .references(() => eventSources.id),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    customEventName: text('custom_event_name'),
    eventTime: timestamptz('event_time').notNull(),
    actionSource: text('action_source'),
    value: doublePrecision('value'),
    currency: text('currency'),
    orderId: text('order_id'),
    isTest: boolean('is_test').notNull().default(false),
    hasUserMatch: boolean('has_user_match').notNull().default(false),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('logged_events_source_event_key').on(t.sourceRowId, t.eventId),
    index('logged_events_advertiser_time_idx').on(t.advertiserId, t.eventTime),
  ],
);
