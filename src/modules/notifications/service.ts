import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import {
  assertEndpointAllowed,
  OutboundBlockedError,
  urlCredentialRefusal,
} from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createDeliveries, secretContext, type DeliveryDeps } from './deliveries.js';
import * as subscriptions from './delivery-store.js';
import {
  noDeliveryChannel,
  notificationNotFound,
  subscriptionNotFound,
  tooManySubscriptions,
  webhookUrlRefused,
} from './errors.js';
import {
  isWebhookEvent,
  type NotificationEvent,
  type NotificationType,
  type Notifier,
} from './events.js';
import type { CreateSubscriptionInput, NotificationListQuery } from './schemas.js';
import * as store from './store.js';
import { deliveryView, subscriptionView, summaryView } from './views.js';

export interface NotificationsDeps extends Omit<DeliveryDeps, 'db' | 'secrets'> {
  db: Db;
  secrets: Pick<SecretBox, 'seal' | 'open'>;
  allowPrivateNetwork: boolean;
  onError?: (error: unknown, what: string) => void;
}

const maxSubscriptions = 25;

/**
 * Notifications (both personas, hosted's paths): the one way the system tells a person
 * something. `notify` records an event for its customer once (by event key) with the deliveries
 * it owes (each webhook subscription that asked for the type, each user who opted into email),
 * in one transaction; the delivery jobs (deliveries.ts) carry them out. The inbox reads the same
 * records. Every read and write is scoped to the caller's customer: another's answers NOT_FOUND.
 */
export function createNotificationsService(deps: NotificationsDeps) {
  const { db } = deps;
  const deliveries = createDeliveries(deps);
  const onError = deps.onError ?? (() => undefined);

  async function record(event: NotificationEvent): Promise<string[]> {
    return db.transaction(async (tx) => {
      // A webhook event nobody subscribed to is not recorded (it is never in the inbox).
      const webhookOnly = isWebhookEvent(event.type);
      const hooks = await subscriptions.subscribersOf(tx, event.customerId, event.type);
      if (webhookOnly && hooks.length === 0) return [];
      const row = await store.insertNotification(tx, event);
      if (!row) return [];
      const mailTo =
        deps.sendMail && !webhookOnly
          ? await store.emailOptedUsers(tx, event.customerId, event.type)
          : [];
      const owed = await subscriptions.insertDeliveries(tx, row.id, event.customerId, [
        ...hooks.map((s) => ({ channel: 'webhook' as const, target: s.id })),
        ...mailTo.map((userId) => ({ channel: 'email' as const, target: `user:${userId}` })),
      ]);
      return owed.map((d) => d.id);
    });
  }

  const notifier: Notifier = {
    async notify(event) {
      try {
        await deliveries.enqueue(await record(event));
      } catch (error) {
        // Telling someone never fails the work that happened; the error is logged.
        onError(error, `notification ${event.type}`);
      }
    },
  };

  return {
    ...notifier,
    deliveries,

    async list(principal: CustomerPrincipal, query: NotificationListQuery) {
      const types = query.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const { rows, total, unread } = await store.listInbox(db, principal.customerId, {
        unreadOnly: query.unreadOnly === 'true',
        types,
        status: query.status,
        limit: query.limit,
        offset: query.offset,
      });
      const end = query.offset + rows.length;
      return {
        notifications: rows.map(summaryView),
        totalCount: total,
        unreadCount: unread,
        hasMore: end < total,
        nextOffset: end < total ? end : null,
      };
    },

    unreadCount: (customerId: number) => store.unreadCount(db, customerId),

    async mark(principal: CustomerPrincipal, id: string, what: 'read' | 'acknowledged') {
      if (!(await store.mark(db, principal.customerId, id, what))) throw notificationNotFound();
      return { success: true as const, notificationId: id };
    },

    async readAll(principal: CustomerPrincipal) {
      return { success: true as const, updated: await store.readAll(db, principal.customerId) };
    },

    async preferences(principal: CustomerPrincipal) {
      return {
        optIns: (await store.optInsOf(db, principal.userId, principal.customerId)) as {
          notificationType: NotificationType;
          channel: 'email' | 'in_app';
        }[],
        emailAvailable: deps.sendMail !== null,
      };
    },

    async setPreferences(principal: CustomerPrincipal, optIns: store.OptIn[]) {
      await store.replaceOptIns(db, principal.userId, principal.customerId, optIns);
      return this.preferences(principal);
    },

    /** Hosted's Slack settings: no channel can be connected here, so nothing is configurable. */
    deliveryPreferences() {
      return {
        adapter: 'slack' as const,
        destination: null,
        configurable: false,
        preferences: [
          { stream: 'product_updates' as const, enabled: false },
          { stream: 'source_health_alerts' as const, enabled: false, thresholdMinutes: 15 },
        ],
      };
    },
    setDeliveryPreference(): never {
      throw noDeliveryChannel();
    },

    async createSubscription(principal: CustomerPrincipal, input: CreateSubscriptionInput) {
      // Hosted's subscription has no authentication field: the receiver checks each delivery's
      // signature, made with the subscription's secret.
      const credentials = urlCredentialRefusal(
        input.url,
        'take them out: deliveries are signed with the subscription’s secret (X-Webhook-Signature), which the receiver checks',
      );
      if (credentials) throw webhookUrlRefused(credentials);
      // A name that does not resolve now is not trusted: the person saving it fixes DNS and
      // saves again (sync_accounts, with no one to ask, holds such a subscriber pending).
      let verdict: 'resolved' | 'unresolved';
      try {
        verdict = await assertEndpointAllowed(input.url, {
          allowPrivateNetwork: deps.allowPrivateNetwork,
        });
      } catch (error) {
        if (error instanceof OutboundBlockedError) throw webhookUrlRefused(error.message);
        if (error instanceof TypeError) throw webhookUrlRefused('malformed URL');
        throw error;
      }
      if (verdict === 'unresolved') {
        throw webhookUrlRefused(
          `${new URL(input.url).hostname} does not resolve; save it again once its DNS answers`,
        );
      }
      const existing = await subscriptions.subscriptionsOf(db, principal.customerId);
      if (existing.length >= maxSubscriptions) throw tooManySubscriptions(maxSubscriptions);
      // Sealed under a context naming the row, so a sealed secret cannot be moved to another.
      const id = store.newId('whs');
      const row = await subscriptions.insertSubscription(db, {
        id,
        customerId: principal.customerId,
        url: input.url,
        secretSealed: deps.secrets.seal(input.secret, secretContext(id)),
        eventTypes: [...new Set(input.eventTypes)],
      });
      return { subscription: subscriptionView(row) };
    },

    async listSubscriptions(principal: CustomerPrincipal) {
      const rows = await subscriptions.subscriptionsOf(db, principal.customerId);
      return { subscriptions: rows.map(subscriptionView) };
    },

    async deleteSubscription(principal: CustomerPrincipal, id: string) {
      if (!(await subscriptions.deleteSubscription(db, principal.customerId, id))) {
        throw subscriptionNotFound();
      }
      return { success: true as const, id };
    },

    async deliveryLog(principal: CustomerPrincipal, id: string) {
      const row = await subscriptions.findSubscription(db, id);
      if (!row || row.customerId !== principal.customerId) throw subscriptionNotFound();
      const rows = await subscriptions.deliveriesTo(db, principal.customerId, id, 100);
      return { deliveries: rows.map(deliveryView) };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
