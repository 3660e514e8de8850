/**
 * The storefronts' subscriptions to their mirrored sources' wholesale feed webhooks and the
 * version signals received on them (source-kinds/agent/feed-mirror/, agents/merchandising/
 * feed-signals/).
 */
export {
  createFeedSignals,
  type FeedSignals,
  type FeedSignalState,
  type FeedSignalSubscription,
} from './store.js';
