import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';

export type NotificationStatus = 'success' | 'error' | 'warning' | 'info';
export type DeliveryChannel = 'webhook' | 'email';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * What the system told a customer (both personas): the inbox reads these, and webhook and email
 * deliveries are made from them. One row per customer and event: the same event told twice
 * (a retried job, a second sweep) finds the first.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    type: text('type').notNull(),
    status: text('status').$type<NotificationStatus>().notNull(),
    message: text('message').notNull(),
    actionUrl: text('action_url'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** The event's own id (e.g. `work_item:wi_…:opened`): the idempotency key of the notice. */
    eventKey: text('event_key').notNull(),
    readAt: timestamptz('read_at'),
    acknowledgedAt: timestamptz('acknowledged_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_event_key').on(t.customerId, t.eventKey),
    index('notifications_inbox_idx').on(t.customerId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.customerId)
      .where(sql`${t.readAt} is null`),
  ],
);

/** A user's opt-ins per notification type and channel (hosted /notification-preferences). */
export const notificationOptIns = pgTable(
  'notification_opt_ins',
  {
    userId: integer('user_id').notNull(),
    customerId: integer('customer_id').notNull(),
    notificationType: text('notification_type').notNull(),
    channel: text('channel').$type<'email' | 'in_app'>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.customerId, t.notificationType, t.channel] }),
    index('notification_opt_ins_type_idx').on(t.customerId, t.notificationType, t.channel),
  ],
);

/** A buyer's webhook endpoints for its notifications (hosted /webhook-subscriptions). */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    url: text('url').notNull(),
    /** The buyer's shared secret, sealed; signs each delivery (HMAC), never returned. */
    secretSealed: text('secret_sealed').notNull(),
    eventTypes: jsonb('event_types').$type<string[]>().notNull(),
    status: text('status').$type<'active' | 'inactive' | 'failed'>().notNull().default('active'),
    failureCount: integer('failure_count').notNull().default(0),
    lastSuccess: timestamptz('last_success'),
    lastFailure: timestamptz('last_failure'),
    ...timestamps(),
  },
  (t) => [index('webhook_subscriptions_customer_idx').on(t.customerId, t.createdAt)],
);

/**
 * The delivery log: one row per notification, channel and target (a subscription id or an email
 * address), so an event reaches each target once however often its job runs; attempts and the
 * last answer are kept for the customer to read.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: text('id').primaryKey(),
    notificationId: text('notification_id').notNull(),
    customerId: integer('customer_id').notNull(),
    channel: text('channel').$type<DeliveryChannel>().notNull(),
    target: text('target').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    deliveredAt: timestamptz('delivered_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_target_key').on(t.notificationId, t.channel, t.target),
    index('notification_deliveries_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    index('notification_deliveries_customer_idx').on(t.customerId, t.target, t.createdAt),
  ],
);
