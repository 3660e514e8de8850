import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { newId } from './store.js';
import { notificationDeliveries, webhookSubscriptions, type DeliveryChannel } from './tables.js';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

export async function insertSubscription(
  db: Db,
  values: {
    id: string;
    customerId: number;
    url: string;
    secretSealed: string;
    eventTypes: string[];
  },
): Promise<SubscriptionRow> {
  const [row] = await db.insert(webhookSubscriptions).values(values).returning();
  return row!;
}

export function subscriptionsOf(db: Db, customerId: number): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.customerId, customerId))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row;
}

/** Deletes the customer's own subscription; false when it has none of that id. */
export async function deleteSubscription(db: Db, customerId: number, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookSubscriptions)
    .where(columnsEqual(webhookSubscriptions, { customerId, id }))
    .returning({ id: webhookSubscriptions.id });
  return deleted.length > 0;
}

/** The customer's active subscriptions that asked for `type` (or for every type, `*`). */
export async function subscribersOf(db: Db, customerId: number, type: string) {
  const rows = await subscriptionsOf(db, customerId);
  return rows.filter(
    (s) => s.status === 'active' && (s.eventTypes.includes(type) || s.eventTypes.includes('*')),
  );
}

/** Success resets the failure count; a failure counts one more. */
export async function recordSubscriptionOutcome(db: Db, id: string, ok: boolean): Promise<void> {
  await db
    .update(webhookSubscriptions)
    .set(
      ok
        ? { failureCount: 0, lastSuccess: sql`now()`, updatedAt: sql`now()` }
        : {
            failureCount: sql`${webhookSubscriptions.failureCount} + 1`,
            lastFailure: sql`now()`,
            updatedAt: sql`now()`,
          },
    )
    .where(eq(webhookSubscriptions.id, id));
}

/** Records the deliveries an event owes; one already recorded for a target is kept, not doubled. */
export async function insertDeliveries(
  db: Db,
  notificationId: string,
  customerId: number,
  targets: { channel: DeliveryChannel; target: string }[],
): Promise<DeliveryRow[]> {
  if (targets.length === 0) return [];
  return db
    .insert(notificationDeliveries)
    .values(targets.map((t) => ({ id: newId('ndl'), notificationId, customerId, ...t })))
    .onConflictDoNothing({
      target: [
        notificationDeliveries.notificationId,
        notificationDeliveries.channel,
        notificationDeliveries.target,
      ],
    })
    .returning();
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.id, id));
  return row;
}

/** One attempt's outcome; `final` settles the delivery (delivered, or failed for good). */
export async function recordAttempt(
  db: Db,
  id: string,
  outcome: {
    delivered: boolean;
    final: boolean;
    statusCode: number | null;
    error: string | null;
  },
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      lastAttemptAt: sql`now()`,
      ...(outcome.delivered && { status: 'delivered' as const, deliveredAt: sql`now()` }),
      ...(!outcome.delivered && outcome.final && { status: 'failed' as const }),
    })
    .where(columnsEqual(notificationDeliveries, { id, status: 'pending' }));
}

/** Deliveries still pending that were recorded before `before`, oldest first. */
export function pendingBefore(db: Db, before: Date, limit: number) {
  return db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.status, 'pending'),
        lt(notificationDeliveries.createdAt, before),
      ),
    )
    .orderBy(asc(notificationDeliveries.createdAt))
    .limit(limit);
}

/** A subscription's delivery log, newest first. */
export function deliveriesTo(db: Db, customerId: number, target: string, limit: number) {
  return db
    .select()
    .from(notificationDeliveries)
    .where(columnsEqual(notificationDeliveries, { customerId, channel: 'webhook', target }))
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(limit);
}
