import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { type NotificationEvent, webhookEventTypes } from './events.js';
import { notificationOptIns, notifications, type NotificationStatus } from './tables.js';

export type NotificationRow = typeof notifications.$inferSelect;

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** Records an event for its customer; undefined when that customer was already told of it. */
export async function insertNotification(
  db: Db,
  event: NotificationEvent,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .insert(notifications)
    .values({
      id: newId('ntf'),
      customerId: event.customerId,
      type: event.type,
      status: event.status,
      message: event.message,
      actionUrl: event.actionUrl ?? null,
      data: event.data ?? {},
      eventKey: event.eventKey,
    })
    .onConflictDoNothing({ target: [notifications.customerId, notifications.eventKey] })
    .returning();
  return row;
}

/** Webhook events (events.ts) are delivered to subscriptions only, never shown in the inbox. */
const inInbox = notInArray(notifications.type, [...webhookEventTypes]);

export interface InboxFilter {
  unreadOnly: boolean;
  types: string[] | undefined;
  status: NotificationStatus | undefined;
  limit: number;
  offset: number;
}

/** One page of a customer's notifications, newest first, with the total and the unread count. */
export async function listInbox(db: Db, customerId: number, filter: InboxFilter) {
  const conditions: SQL[] = [eq(notifications.customerId, customerId), inInbox];
  if (filter.unreadOnly) conditions.push(isNull(notifications.readAt));
  if (filter.types?.length) conditions.push(inArray(notifications.type, filter.types));
  if (filter.status) conditions.push(eq(notifications.status, filter.status));
  const where = and(...conditions);
  const rows = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(filter.limit)
    .offset(filter.offset);
  const [totals] = await db.select({ total: count() }).from(notifications).where(where);
  return { rows, total: totals?.total ?? 0, unread: await unreadCount(db, customerId) };
}

export async function unreadCount(db: Db, customerId: number): Promise<number> {
  const [row] = await db
    .select({ unread: count() })
    .from(notifications)
    .where(and(eq(notifications.customerId, customerId), inInbox, isNull(notifications.readAt)));
  return row?.unread ?? 0;
}

/** Sets read (and, for `acknowledged`, acknowledged) on the customer's own notification. */
export async function mark(
  db: Db,
  customerId: number,
  id: string,
  what: 'read' | 'acknowledged',
): Promise<boolean> {
  const now = sql`coalesce(${notifications.readAt}, now())`;
  const updated = await db
    .update(notifications)
    .set(
      what === 'read'
        ? { readAt: now }
        : { readAt: now, acknowledgedAt: sql`coalesce(${notifications.acknowledgedAt}, now())` },
    )
    .where(columnsEqual(notifications, { customerId, id }))
    .returning({ id: notifications.id });
  return updated.length > 0;
}

/** Marks every unread notification of the customer read; answers how many changed. */
export async function readAll(db: Db, customerId: number): Promise<number> {
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.customerId, customerId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return updated.length;
}

export async function findNotification(db: Db, id: string): Promise<NotificationRow | undefined> {
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

export interface OptIn {
  notificationType: string;
  channel: 'email' | 'in_app';
}

export async function optInsOf(db: Db, userId: number, customerId: number): Promise<OptIn[]> {
  return db
    .select({
      notificationType: notificationOptIns.notificationType,
      channel: notificationOptIns.channel,
    })
    .from(notificationOptIns)
    .where(columnsEqual(notificationOptIns, { userId, customerId }))
    .orderBy(notificationOptIns.notificationType, notificationOptIns.channel);
}

/** Replaces the user's opt-ins in this customer with `optIns` (hosted PUT semantics). */
export async function replaceOptIns(
  db: Db,
  userId: number,
  customerId: number,
  optIns: OptIn[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(notificationOptIns)
      .where(columnsEqual(notificationOptIns, { userId, customerId }));
    if (optIns.length === 0) return;
    await tx
      .insert(notificationOptIns)
      .values(optIns.map((o) => ({ userId, customerId, ...o })))
      .onConflictDoNothing();
  });
}

/** The users of a customer who opted into email for a type. */
export async function emailOptedUsers(
  db: Db,
  customerId: number,
  notificationType: string,
): Promise<number[]> {
  const rows = await db
    .select({ userId: notificationOptIns.userId })
    .from(notificationOptIns)
    .where(columnsEqual(notificationOptIns, { customerId, notificationType, channel: 'email' }))
    .orderBy(notificationOptIns.userId);
  return rows.map((r) => r.userId);
}
