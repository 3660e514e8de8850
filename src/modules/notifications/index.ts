/**
 * Notifications for both personas on hosted's paths: the inbox, preferences, the buyer's webhook
 * subscriptions with their delivery log, the seller's pending operations, and `notify`, which
 * other modules (through ports the composition root passes them) call to tell someone.
 */
export { createNotificationsService, type NotificationsService } from './service.js';
export { notificationRoutes } from './routes.js';
export {
  buyerNotificationTypes,
  notificationTypes,
  sellerNotificationTypes,
  webhookEventTypes,
  type NotificationEvent,
  type NotificationType,
  type Notifier,
} from './events.js';
export type { MailSender, WebhookAttempt, WebhookSender } from './deliveries.js';
export {
  createPendingOperations,
  type PendingOperationsPorts,
  type PendingOperationsService,
} from './pending-operations.js';
