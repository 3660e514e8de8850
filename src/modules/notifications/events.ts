import type { NotificationStatus } from './tables.js';

/**
 * The events the system tells people about, by the persona that hears them. Names are hosted's
 * where hosted has the event (`media_buy.approval_requested`, `source.action_required`,
 * `inventory_source.unhealthy`); the others are ours, listed in docs/hosted-compatibility.md.
 */
export const sellerNotificationTypes = [
  /** A buy waits on the seller's approval (a booking to confirm). */
  'media_buy.approval_requested',
  /** A modular source's work item opened: a buyer's cancellation or change, trafficking, a report. */
  'source.action_required',
  /** A hold on a modular avail expires within the configured window. */
  'booking_hold.expiring',
  /** A buy's flight ended and its delivery report is not finalised yet. */
  'delivery_report.due',
  /** A source failed its health probe or its compliance run. */
  'inventory_source.unhealthy',
  /** Another storefront asked to link to (sell through) this one. */
  'storefront_link.requested',
] as const;

export const buyerNotificationTypes = [
  'media_buy.approved',
  'media_buy.rejected',
  /** The buy's flight started with at least one source booked. */
  'media_buy.live',
  /**
   * Delivered spend trails the flight's straight-line pace by more than a quarter (the orders
   * list's pacing); told at most once a day per buy.
   */
  'media_buy.behind_pace',
  /** The seller finalised the buy's delivery report. */
  'media_buy.delivery_finalized',
] as const;

export const notificationTypes = [...sellerNotificationTypes, ...buyerNotificationTypes] as const;
export type NotificationType = (typeof notificationTypes)[number];

/**
 * Events told only to the webhook subscriptions that ask for them by name (hosted's webhook
 * event types): never listed in the inbox, never mailed, and not recorded at all when no
 * subscription asks.
 */
export const webhookEventTypes = [
  /**
   * A buyer's discovery session has new results: a round of it was recorded (a new session is
   * revision 1, each discoverProducts again on it one more). `data` carries discoveryId,
   * revision and resultsComplete; browse with sinceRevision for what landed.
   */
  'discovery.revision',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const isWebhookEvent = (type: string): type is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(type);

/** One thing that happened, addressed to one customer. */
export interface NotificationEvent {
  customerId: number;
  type: NotificationType | WebhookEventType;
  status: NotificationStatus;
  /** What a person reads, one or two sentences. */
  message: string;
  /** Console-relative link to where the person acts on it. */
  actionUrl?: string | null;
  /** Ids the receiver needs (mediaBuyId, storefrontId, sourceId, workItemId, …). */
  data?: Record<string, unknown>;
  /**
   * The event's own identity: the same key for the same customer is the same notification, so a
   * hook that fires twice (a retry, a sweep that runs again) tells nobody twice.
   */
  eventKey: string;
}

/** What other modules call to tell someone; `notify` never fails the caller's work. */
export interface Notifier {
  notify(event: NotificationEvent): Promise<void>;
}
