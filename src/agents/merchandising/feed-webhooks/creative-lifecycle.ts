import { createHash } from 'node:crypto';
import type {
  AccountNotifications,
  FeedDeliveries,
  FeedDeliveryRow,
  FeedSubscriber,
  NewFeedDelivery,
} from '../../../modules/account-notifications/index.js';
import { stableWebhookKeys } from '../buys/settle/task-notifications.js';
import { sandboxAccountPrefix } from '../accounts/ids.js';

/*
 * AdCP 3.1's account-level creative lifecycle webhooks (creative/creative-status-changed-
 * webhook.json, creative/creative-purged-webhook.json): a seller-side move of a creative in a
 * buyer's library, or its purge (the test controller's, today the storefront's only ones: no
 * dependency a creative has is watched here) fires `creative.status_changed` or
 * `creative.purged` to each active subscriber of the creative's account that asked for it
 * (sync_accounts notification_configs), through the wholesale feed webhooks' delivery log and
 * job (jobs/feed-webhooks: one idempotency key for every attempt, retried with backoff).
 * list_creatives `include_webhook_activity` reads the same log back.
 */

export const creativeStatusChanged = 'creative.status_changed';
export const creativePurged = 'creative.purged';

/** A seller-side creative transition, with AdCP 3.1's status names. */
export interface CreativeStatusEvent {
  storefrontId: number;
  buyerCustomerId: number;
  accountId: string;
  creativeId: string;
  from: string;
  to: string;
  reasonCode: string | null;
  reasonDetail: string | null;
  observedAt: Date;
}

/** A creative the seller destroyed (creative/creative-purged-webhook.json). */
export interface CreativePurgeEvent {
  storefrontId: number;
  buyerCustomerId: number;
  accountId: string;
  creativeId: string;
  kind: 'soft' | 'hard';
  reasonCode: string;
  reasonDetail: string | null;
  purgedAt: Date;
}

/** One core/webhook-activity-record.json. */
export interface WebhookActivity {
  idempotency_key: string;
  subscriber_id: string;
  fired_at: string;
  completed_at: string | null;
  notification_type: string;
  attempt: number;
  status: 'success' | 'failed' | 'pending';
  url: string;
  http_status_code: number | null;
  error_message: string | null;
}

/** What the agent needs: fire a transition, read back the fires about some creatives. */
export interface CreativeLifecycle {
  statusChanged(event: CreativeStatusEvent): Promise<void>;
  purged(event: CreativePurgeEvent): Promise<void>;
  activityOf(
    storefrontId: number,
    buyerCustomerId: number,
    creativeIds: string[],
  ): Promise<Map<string, WebhookActivity[]>>;
}

/** The states a seller-side fire may leave (the webhook's `transition.from`). */
const firesFrom = new Set(['processing', 'pending_review', 'approved', 'suspended']);

/** enums/creative-event-reason-code.json's reason for a move the seller named none for. */
function defaultReason(from: string, to: string): string {
  if (to === 'approved') return 'review_passed';
  if (to === 'suspended') return 'source_private';
  if (to === 'pending_review') return 'seller_rereview';
  if (to === 'archived') return 'seller_archive';
  if (from === 'suspended') return 'identity_authorization_revoked';
  return from === 'approved' ? 'policy_revocation' : 'review_failure';
}

/** The same account across the sandbox mark: one brand and operator of the same buyer. */
const unmarked = (accountId: string) =>
  accountId.startsWith(sandboxAccountPrefix)
    ? accountId.slice(sandboxAccountPrefix.length)
    : accountId;

const idOf = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

type CreativeEvent = Pick<CreativeStatusEvent, 'storefrontId' | 'buyerCustomerId' | 'creativeId'>;

/**
 * The delivery log's rows of one event, one per subscriber that asked for it: `notificationId`
 * the event's, `body` the webhook's but for subscriber, account, idempotency_key and fired_at.
 */
function deliveriesOf(
  event: CreativeEvent,
  type: string,
  notificationId: string,
  body: Record<string, unknown>,
  subscribers: FeedSubscriber[],
) {
  return subscribers.map((subscriber): NewFeedDelivery => ({
    id: `cwd_${idOf(notificationId, subscriber.accountId, subscriber.subscriberId)}`,
    storefrontId: event.storefrontId,
    buyerCustomerId: event.buyerCustomerId,
    accountId: subscriber.accountId,
    subscriberId: subscriber.subscriberId,
    notificationType: type,
    payload: {
      notification_id: notificationId,
      notification_type: type,
      subscriber_id: subscriber.subscriberId,
      account_id: subscriber.accountId,
      creative_id: event.creativeId,
      ...body,
    },
  }));
}

/** creative-status-changed-webhook.json's rows of one transition. */
function statusChangedDeliveries(event: CreativeStatusEvent, subscribers: FeedSubscriber[]) {
  const observed = event.observedAt.toISOString();
  const key = `${event.storefrontId}/${event.buyerCustomerId}/${event.creativeId}`;
  return deliveriesOf(
    event,
    creativeStatusChanged,
    `cs_${idOf(key, event.from, event.to, observed)}`,
    {
      transition: { from: event.from, to: event.to, observed_at: observed },
      reason_code: event.reasonCode ?? defaultReason(event.from, event.to),
      ...(event.reasonDetail && { reason_detail: event.reasonDetail.slice(0, 500) }),
      initiator: 'seller',
    },
    subscribers,
  );
}

/** creative-purged-webhook.json's rows of one purge (a creative is purged once). */
function purgedDeliveries(event: CreativePurgeEvent, subscribers: FeedSubscriber[]) {
  const at = event.purgedAt.toISOString();
  const key = `${event.storefrontId}/${event.buyerCustomerId}/${event.creativeId}`;
  return deliveriesOf(
    event,
    creativePurged,
    `cp_${idOf(key, 'purged', at)}`,
    {
      purge_kind: event.kind,
      purged_at: at,
      reason_code: event.reasonCode,
      ...(event.reasonDetail && { reason_detail: event.reasonDetail.slice(0, 500) }),
      initiator: 'seller',
    },
    subscribers,
  );
}

/** A delivery as a webhook-activity record (its idempotency key is the sender's, per delivery). */
function activityOf(row: FeedDeliveryRow, url: string): WebhookActivity {
  const status = row.status === 'delivered' ? 'success' : row.status;
  return {
    idempotency_key: stableWebhookKeys.get(`feed.${row.id}`),
    subscriber_id: row.subscriberId,
    fired_at: row.createdAt.toISOString(),
    completed_at: row.deliveredAt?.toISOString() ?? null,
    notification_type: row.notificationType,
    attempt: Math.max(1, row.attempts),
    status,
    url,
    http_status_code: row.lastStatusCode,
    error_message: row.lastError,
  };
}

/**
 * The creative lifecycle webhooks over the account subscribers and the delivery log; `deliver`
 * queues recorded deliveries (jobs/feed-webhooks). A transition from a state no seller-side fire
 * leaves (rejected, archived), or to the state it was in, fires nothing. A creative's account is
 * matched to its subscribers across the sandbox mark (a buyer registering `sandbox: true` and
 * syncing without it names the same brand and operator).
 */
export function createCreativeLifecycle(deps: {
  store: Pick<AccountNotifications, 'activeSubscribersOf'>;
  deliveries: Pick<FeedDeliveries, 'record' | 'creativeDeliveriesOf'>;
  deliver: (deliveryIds: string[]) => Promise<void>;
}): CreativeLifecycle {
  const subscribersOf = async (storefrontId: number, buyerCustomerId: number) =>
    (await deps.store.activeSubscribersOf(storefrontId)).filter(
      (s) => s.buyerCustomerId === buyerCustomerId,
    );
  /** The account's active subscribers that asked for `type`. */
  const askedFor = async (event: CreativeEvent & { accountId: string }, type: string) =>
    (await subscribersOf(event.storefrontId, event.buyerCustomerId)).filter(
      (s) => s.eventTypes.includes(type) && unmarked(s.accountId) === unmarked(event.accountId),
    );
  const fire = async (rows: NewFeedDelivery[]) => {
    await deps.deliveries.record(rows);
    await deps.deliver(rows.map((row) => row.id));
  };
  return {
    async statusChanged(event) {
      if (event.from === event.to || !firesFrom.has(event.from)) return;
      await fire(statusChangedDeliveries(event, await askedFor(event, creativeStatusChanged)));
    },
    async purged(event) {
      await fire(purgedDeliveries(event, await askedFor(event, creativePurged)));
    },
    async activityOf(storefrontId, buyerCustomerId, creativeIds) {
      const [rows, subscribers] = await Promise.all([
        deps.deliveries.creativeDeliveriesOf(storefrontId, buyerCustomerId, creativeIds),
        subscribersOf(storefrontId, buyerCustomerId),
      ]);
      const urls = new Map(subscribers.map((s) => [`${s.accountId}\n${s.subscriberId}`, s.url]));
      const out = new Map<string, WebhookActivity[]>();
      for (const row of rows) {
        const creativeId = String(row.payload['creative_id']);
        const url = urls.get(`${row.accountId}\n${row.subscriberId}`);
        // A subscriber removed or paused since: its fires are no longer the buyer's to read.
        if (url === undefined) continue;
        const record = activityOf(row, url);
        out.set(creativeId, [...(out.get(creativeId) ?? []), record]);
      }
      return out;
    },
  };
}
