import type {
  AccountNotifications,
  FeedDeliveries,
  FeedSubscriber,
  NewFeedDelivery,
} from '../../modules/account-notifications/index.js';
import { entryOf, feedEventsOf, stableUuid, type WireProduct } from './events.js';

/** The storefront's wholesale feed as one buyer's account sees it (get_products as the buyer). */
export interface WholesaleFeed {
  products: WireProduct[];
  version: string;
  scope: 'public' | 'account';
}

export type WholesaleOf = (
  storefrontId: number,
  buyerCustomerId: number,
  accountId: string,
) => Promise<WholesaleFeed | undefined>;

const feedTypes = (s: FeedSubscriber) =>
  s.eventTypes.filter((t) => t.startsWith('product.') || t === 'wholesale_feed.bulk_change');

/**
 * One scan of a storefront's feed for its active subscribers: each (buyer, account) reads its
 * wholesale feed once, as get_products answers that buyer (so buyer terms, sources answering
 * with its credentials and another buyer's data stay as they are for reads); each subscriber
 * gets the events its snapshot and event_types call for, recorded in the delivery log before its
 * snapshot moves (stable ids: a scan run twice records nothing twice). A subscriber without a
 * snapshot (just activated) gets the feed as its starting point and no events. Answers the ids
 * of the deliveries to send.
 */
export async function scanStorefront(
  deps: {
    store: AccountNotifications;
    deliveries: FeedDeliveries;
    wholesaleOf: WholesaleOf;
    now?: () => Date;
  },
  storefrontId: number,
): Promise<string[]> {
  const subscribers = (await deps.store.activeSubscribersOf(storefrontId)).filter(
    (s) => feedTypes(s).length > 0,
  );
  const feeds = new Map<string, Promise<WholesaleFeed | undefined>>();
  const sent: string[] = [];
  for (const subscriber of subscribers) {
    const key = `${subscriber.buyerCustomerId}/${subscriber.accountId}`;
    if (!feeds.has(key)) {
      feeds.set(
        key,
        deps.wholesaleOf(storefrontId, subscriber.buyerCustomerId, subscriber.accountId),
      );
    }
    const feed = await feeds.get(key);
    // The feed could not be read (a source down, the buyer gone): the next move tries again.
    if (!feed || feed.version === subscriber.feedVersion) continue;
    const snapshot = Object.fromEntries(feed.products.map((p) => [p.product_id, entryOf(p)]));
    if (subscriber.snapshot !== null) {
      const rows = deliveriesOf(subscriber, feed, deps.now?.() ?? new Date());
      await deps.deliveries.record(rows);
      sent.push(...rows.map((r) => r.id));
    }
    await deps.store.saveSnapshot(subscriber, snapshot, feed.version);
  }
  return sent;
}

function deliveriesOf(
  subscriber: FeedSubscriber,
  feed: WholesaleFeed,
  now: Date,
): NewFeedDelivery[] {
  const owner = `${subscriber.storefrontId}/${subscriber.buyerCustomerId}/${subscriber.accountId}/${subscriber.subscriberId}`;
  const events = feedEventsOf({
    previous: subscriber.snapshot ?? {},
    products: feed.products,
    subscribed: new Set(feedTypes(subscriber)),
    scope: feed.scope,
    idSeed: `${owner}\n${subscriber.feedVersion ?? ''}\n${feed.version}`,
    now,
  });
  return events.map((event) => ({
    id: `fwd_${stableUuid(owner, event.event_id).replace(/-/g, '')}`,
    storefrontId: subscriber.storefrontId,
    buyerCustomerId: subscriber.buyerCustomerId,
    accountId: subscriber.accountId,
    subscriberId: subscriber.subscriberId,
    notificationType: event.event_type,
    // core/wholesale-feed-webhook.json, but for idempotency_key and fired_at (set per send).
    payload: {
      notification_id: event.event_id,
      notification_type: event.event_type,
      subscriber_id: subscriber.subscriberId,
      account_id: subscriber.accountId,
      wholesale_feed_version: feed.version,
      ...(subscriber.feedVersion !== null && {
        previous_wholesale_feed_version: subscriber.feedVersion,
      }),
      cache_scope: feed.scope,
      event,
    },
  }));
}
