import type { DeliveryRow, SubscriptionRow } from './delivery-store.js';
import type { NotificationRow } from './store.js';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Hosted's NotificationSummary, plus `data`. */
export function summaryView(row: NotificationRow) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    read: row.readAt !== null,
    acknowledged: row.acknowledgedAt !== null,
    messagePreview: row.message ? row.message.slice(0, 200) : null,
    actionUrl: row.actionUrl,
    createdAt: row.createdAt.toISOString(),
    data: row.data,
  };
}

/** A subscription as its owner reads it: never the secret. */
export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    status: row.status,
    failureCount: row.failureCount,
    lastSuccess: iso(row.lastSuccess),
    lastFailure: iso(row.lastFailure),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    notificationId: row.notificationId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: iso(row.lastAttemptAt),
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The body a webhook receiver gets: the notification whole. */
export function webhookPayloadOf(row: NotificationRow): Record<string, unknown> {
  return {
    eventId: row.eventKey,
    notificationId: row.id,
    type: row.type,
    status: row.status,
    message: row.message,
    actionUrl: row.actionUrl,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}
