import type { AccountNotifications } from '../../modules/account-notifications/index.js';
import { createFeedDeliveries } from '../../modules/account-notifications/index.js';
import type { BuyingAgents } from '../../modules/discovery/index.js';
import { agentIdOf, type StorefrontsService } from '../../modules/storefronts/index.js';
import type { Db } from '../../platform/db/database.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createFeedWebhookJobs, type FeedWebhookSender } from './queue.js';
import type { WireProduct } from './events.js';

/** How often each instance reads the feed revision, and how long a burst is gathered. */
const pollMs = 1_000;
const coalesceSeconds = 2;

/**
 * AdCP 3.1 wholesale feed webhooks: the jobs that watch the feed revision, scan storefronts for
 * their subscribers and deliver the events. Each subscriber's feed is read as its buyer reads it:
 * get_products (wholesale, the account's natural key, 3.1) through the storefront agent in
 * process, as that buyer.
 */
export function createFeedWebhooks(parts: {
  db: Db;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  /** The database's feed revision (agents/adcp31 feedRevisionReader). */
  readRevision: () => Promise<string>;
  onError: (error: unknown) => void;
  store: AccountNotifications;
  send: FeedWebhookSender;
  agents: Pick<BuyingAgents, 'call'>;
  storefronts: Pick<StorefrontsService, 'findById'>;
  actingPrincipal: (customerId: number) => Promise<CustomerPrincipal | undefined>;
}) {
  const { store } = parts;
  return createFeedWebhookJobs({
    store,
    deliveries: createFeedDeliveries({ db: parts.db }),
    jobs: parts.jobs,
    readRevision: parts.readRevision,
    send: parts.send,
    pollMs,
    coalesceSeconds,
    onError: parts.onError,
    async wholesaleOf(storefrontId, buyerCustomerId, accountId) {
      const [storefront, principal, account] = await Promise.all([
        parts.storefronts.findById(storefrontId),
        parts.actingPrincipal(buyerCustomerId),
        store.findAccount({ storefrontId, buyerCustomerId, accountId }),
      ]);
      if (!storefront || !principal || !account) return undefined;
      const answer = await parts.agents.call(
        principal,
        agentIdOf(storefront.platformId),
        'get_products',
        {
          buying_mode: 'wholesale',
          account: {
            brand: account.brand,
            operator: account.operator,
            ...(account.sandbox && { sandbox: true }),
          },
          adcp_version: '3.1',
        },
        { timeoutMs: 60_000 },
      );
      if (!answer.ok) return undefined;
      const { products, wholesale_feed_version: version, cache_scope: scope } = answer.data;
      if (!Array.isArray(products) || typeof version !== 'string') return undefined;
      return {
        products: products.filter(
          (p): p is WireProduct =>
            typeof p === 'object' &&
            p !== null &&
            typeof (p as WireProduct).product_id === 'string',
        ),
        version,
        scope: scope === 'account' ? 'account' : 'public',
      };
    },
  });
}
