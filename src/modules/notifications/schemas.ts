import { z } from 'zod';
import { hostedPendingGroups } from './pending-operations-schemas.js';
import { positiveIdSchema } from '../../platform/formats.js';
import { notificationTypes, webhookEventTypes } from './events.js';

const statusEnum = z.enum(['success', 'error', 'warning', 'info']);

export const notificationListQuery = z.object({
  status: statusEnum.optional().describe('Only notifications of this status'),
  types: z
    .string()
    .max(2000)
    .optional()
    .describe('Comma-separated notification types, e.g. media_buy.approved,media_buy.rejected'),
  unreadOnly: z.enum(['true', 'false']).optional().describe('"true": unread notifications only'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

export const notificationSummarySchema = z.object({
  id: z.string().describe('Unique identifier for the notification'),
  type: z.string().describe('Notification event type (docs/notifications.md lists them)'),
  status: statusEnum.describe('Notification status'),
  read: z.boolean().describe('Whether it was marked read'),
  acknowledged: z.boolean().describe('Whether it was acknowledged'),
  messagePreview: z
    .string()
    .nullable()
    .describe('The message, truncated to 200 characters; null when there is none'),
  actionUrl: z
    .string()
    .nullable()
    .describe('Console-relative URL where the reader acts on it; null when there is none'),
  createdAt: z.string().describe('When it was created (ISO 8601)'),
  data: z
    .record(z.string(), z.unknown())
    .describe('Ids the event concerns (mediaBuyId, sourceId, workItemId, …); ours, additive'),
});

export const notificationListSchema = z.object({
  notifications: z.array(notificationSummarySchema).describe('Newest first'),
  totalCount: z.number().int().describe('Notifications matching the filter'),
  unreadCount: z.number().int().describe("The caller's unread notifications (any filter)"),
  hasMore: z.boolean(),
  nextOffset: z.number().int().nullable().describe('offset of the next page; null at the end'),
});

export const notificationParams = z.object({
  notificationId: z.string().min(1).max(100).describe('Notification id'),
});

export const notificationAckSchema = z.object({
  success: z.literal(true),
  notificationId: z.string(),
});

export const readAllBody = z
  .object({
    brandAgentId: positiveIdSchema.optional().describe('Accepted; every notification is marked'),
  })
  .strict()
  .default({});

export const readAllSchema = z.object({
  success: z.literal(true),
  updated: z.number().int().describe('How many notifications were unread and are now read'),
});

const optIn = z
  .object({
    notificationType: z.enum(notificationTypes).describe('Notification type to opt into'),
    channel: z.enum(['email', 'in_app']).describe('in_app is always on; email needs SMTP set up'),
  })
  .strict();

export const preferencesBody = z.object({ optIns: z.array(optIn).max(200) }).strict();

export const preferencesSchema = z.object({
  optIns: z.array(optIn).describe("The caller's opt-ins, by type and channel"),
  emailAvailable: z
    .boolean()
    .describe('Whether the operator configured SMTP (email opt-ins deliver nothing otherwise)'),
});

const streamPreference = z.discriminatedUnion('stream', [
  z.object({ stream: z.literal('product_updates'), enabled: z.boolean() }).strict(),
  z
    .object({
      stream: z.literal('source_health_alerts'),
      enabled: z.boolean(),
      thresholdMinutes: z.number().int().min(1),
    })
    .strict(),
]);

export const deliveryPreferencesSchema = z.object({
  adapter: z.literal('slack'),
  destination: z
    .object({ id: z.string(), name: z.string().nullable(), isPrimary: z.boolean() })
    .nullable()
    .describe('Always null: no Slack channel can be connected to this deployment'),
  configurable: z.boolean(),
  preferences: z.array(streamPreference),
});

export const deliveryPreferenceBody = z.discriminatedUnion('stream', [
  z.object({ stream: z.literal('product_updates'), enabled: z.boolean() }).strict(),
  z
    .object({
      stream: z.literal('source_health_alerts'),
      enabled: z.boolean().optional(),
      thresholdMinutes: z.number().int().min(1).nullable().optional(),
    })
    .strict(),
]);

export const createSubscriptionBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .describe('Where to POST notifications'),
    secret: z
      .string()
      .min(16)
      .max(256)
      .describe('Shared secret: each delivery carries X-Interchange-Signature, its HMAC-SHA256'),
    eventTypes: z
      .array(z.union([z.enum(notificationTypes), z.enum(webhookEventTypes), z.literal('*')]))
      .min(1)
      .max(50)
      .describe(
        'Notification types to deliver, and hosted\'s webhook event types (discovery.revision: a discovery session has new results); "*" for every type',
      ),
  })
  .strict();
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionBody>;

export const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  status: z.enum(['active', 'inactive', 'failed']),
  failureCount: z.number().int().describe('Failed attempts since the last delivered one'),
  lastSuccess: z.string().nullable(),
  lastFailure: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const subscriptionParams = z.object({ id: z.string().min(1).max(100) });

export const deliveryLogSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      notificationId: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      lastStatusCode: z.number().int().nullable().describe("The receiver's last HTTP status"),
      lastError: z.string().nullable(),
      lastAttemptAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

const buyerRef = z.object({ customerId: z.number().int().nullable(), name: z.string().nullable() });

export const pendingOperationsSchema = z.object({
  approvals: z
    .object({
      count: z.number().int(),
      items: z.array(
        z.object({
          mediaBuyId: z.string(),
          kind: z.enum(['create', 'update']),
          buyer: buyerRef,
          submittedAt: z.string(),
        }),
      ),
    })
    .optional()
    .describe('Media buys waiting on operator approval (present when non-empty)'),
  workItems: z
    .object({
      count: z.number().int(),
      items: z.array(
        z.object({
          workItemId: z.string(),
          kind: z.string(),
          title: z.string(),
          status: z.string(),
          sourceId: z.string(),
          mediaBuyId: z.string().nullable(),
          dueAt: z.string().nullable(),
          createdAt: z.string(),
        }),
      ),
    })
    .optional()
    .describe('Open work items of the storefront’s sources, most pressing first (ours)'),
  expiringHolds: z
    .object({
      count: z.number().int(),
      windowHours: z.number().int(),
      items: z.array(
        z.object({
          bookingId: z.string(),
          sourceId: z.string(),
          mediaBuyId: z.string(),
          packageId: z.string(),
          availId: z.string(),
          expiresAt: z.string(),
        }),
      ),
    })
    .optional()
    .describe('Holds expiring within the configured window (ours)'),
  ...hostedPendingGroups,
  total: z.number().int().describe('Everything listed, summed (ours)'),
});
export type PendingOperations = z.infer<typeof pendingOperationsSchema>;
