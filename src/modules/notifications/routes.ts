import { defineRoute, type AnyRoute } from '../../platform/http/route.js';
import type { PendingOperationsService } from './pending-operations.js';
import {
  createSubscriptionBody,
  deliveryLogSchema,
  deliveryPreferenceBody,
  deliveryPreferencesSchema,
  notificationAckSchema,
  notificationListQuery,
  notificationListSchema,
  notificationParams,
  pendingOperationsSchema,
  preferencesBody,
  preferencesSchema,
  readAllBody,
  readAllSchema,
  subscriptionParams,
  subscriptionSchema,
} from './schemas.js';
import type { NotificationsService } from './service.js';
import { z } from 'zod';

const tags = ['Notifications'];

/**
 * Where an inbox is served: hosted's persona-neutral paths under /api/v2 (any customer's key;
 * the key says whose inbox), and the persona paths under /api/v2/storefront (sellers) and
 * /api/v2/buyer, kept as aliases of them.
 */
export const inboxSurfaces = [
  { base: '/api/v2', auth: 'customer', operationId: (name: string) => name },
  {
    base: '/api/v2/storefront',
    auth: 'seller',
    operationId: (name: string) => `storefront.${name}`,
  },
  { base: '/api/v2/buyer', auth: 'customer', operationId: (name: string) => `buyer.${name}` },
] as const;
type InboxSurface = (typeof inboxSurfaces)[number];

/** The inbox and preferences on one surface (the same records on every surface). */
function inboxRoutes(notifications: NotificationsService, surface: InboxSurface) {
  const { base, auth } = surface;
  const id = surface.operationId;
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/notifications`,
      operationId: id('listNotifications'),
      summary: 'List your notifications, newest first, with the total and unread counts',
      tags,
      auth,
      query: notificationListQuery,
      response: notificationListSchema,
      handler: ({ principal, query }) => notifications.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/notifications/read-all`,
      operationId: id('readAllNotifications'),
      summary: 'Mark every notification read',
      tags,
      auth,
      tosExempt: true,
      body: readAllBody,
      response: readAllSchema,
      handler: ({ principal }) => notifications.readAll(principal),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/notifications/:notificationId/read`,
      operationId: id('readNotification'),
      summary: 'Mark one notification read (another account’s answers 404)',
      tags,
      auth,
      tosExempt: true,
      params: notificationParams,
      response: notificationAckSchema,
      handler: ({ principal, params }) =>
        notifications.mark(principal, params.notificationId, 'read'),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/notifications/:notificationId/acknowledge`,
      operationId: id('acknowledgeNotification'),
      summary: 'Acknowledge one notification (marks it read too)',
      tags,
      auth,
      tosExempt: true,
      params: notificationParams,
      response: notificationAckSchema,
      handler: ({ principal, params }) =>
        notifications.mark(principal, params.notificationId, 'acknowledged'),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/notification-preferences`,
      operationId: id('getNotificationPreferences'),
      summary: 'Your opt-ins per notification type and channel (email, in_app)',
      tags,
      auth,
      response: preferencesSchema,
      handler: ({ principal }) => notifications.preferences(principal),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/notification-preferences`,
      operationId: id('updateNotificationPreferences'),
      summary: 'Replace your opt-ins; email opt-ins are mailed when the operator set up SMTP',
      tags,
      auth,
      tosExempt: true,
      body: preferencesBody,
      response: preferencesSchema,
      handler: ({ principal, body }) => notifications.setPreferences(principal, body.optIns),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/notification-delivery-preferences`,
      operationId: id('getNotificationDeliveryPreferences'),
      summary: 'Slack delivery settings (none can be connected here: configurable is false)',
      tags,
      auth,
      response: deliveryPreferencesSchema,
      handler: async () => notifications.deliveryPreferences(),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/notification-delivery-preferences`,
      operationId: id('updateNotificationDeliveryPreference'),
      summary: 'Answers 409 DELIVERY_CHANNEL_NOT_CONNECTED: no Slack channel can be connected',
      tags,
      auth,
      body: deliveryPreferenceBody,
      response: deliveryPreferencesSchema,
      handler: async () => notifications.setDeliveryPreference(),
    }),
  ];
}

/** The buyer's webhook subscriptions and each one's delivery log. */
function subscriptionRoutes(notifications: NotificationsService) {
  const base = '/api/v2/buyer/webhook-subscriptions';
  return [
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createWebhookSubscription',
      summary: 'Subscribe a URL to your notifications (signed, retried, logged)',
      description:
        'Each delivery is a POST signed with RFC 9421 (the storefront agents’ key, as AdCP task ' +
        'pushes are) and carrying X-Interchange-Signature: t=<unix>,v1=<hex HMAC-SHA256 of ' +
        '"<t>.<body>" under your secret>. The URL must be public http(s) (private addresses ' +
        'are refused unless the operator allows them). The secret is never returned.',
      tags,
      auth: 'customer',
      status: 201,
      body: createSubscriptionBody,
      response: z.object({ subscription: subscriptionSchema }),
      handler: ({ principal, body }) => notifications.createSubscription(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listWebhookSubscriptions',
      summary: 'Your webhook subscriptions, oldest first',
      tags,
      auth: 'customer',
      response: z.object({ subscriptions: z.array(subscriptionSchema) }),
      handler: ({ principal }) => notifications.listSubscriptions(principal),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:id`,
      operationId: 'deleteWebhookSubscription',
      summary: 'Delete a webhook subscription (deliveries still owed to it are dropped)',
      tags,
      auth: 'customer',
      params: subscriptionParams,
      response: z.object({ success: z.literal(true), id: z.string() }),
      handler: ({ principal, params }) => notifications.deleteSubscription(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:id/deliveries`,
      operationId: 'listWebhookDeliveries',
      summary: 'The subscription’s delivery log, newest first (the last 100)',
      tags,
      auth: 'customer',
      params: subscriptionParams,
      response: deliveryLogSchema,
      handler: ({ principal, params }) => notifications.deliveryLog(principal, params.id),
    }),
  ];
}

export function notificationRoutes(
  notifications: NotificationsService,
  pending: PendingOperationsService,
): AnyRoute[] {
  const [neutral, seller, buyer] = inboxSurfaces;
  return [
    ...inboxRoutes(notifications, neutral),
    ...inboxRoutes(notifications, seller),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/pending-operations',
      operationId: 'getStorefrontPendingOperations',
      summary: 'Everything waiting on you: approvals, open work items, holds about to expire',
      tags,
      auth: 'seller',
      response: pendingOperationsSchema,
      handler: ({ principal }) => pending.of(principal),
    }),
    ...inboxRoutes(notifications, buyer),
    ...subscriptionRoutes(notifications),
  ];
}
