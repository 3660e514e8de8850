import type { Merchandising } from '../agents/merchandising/index.js';
import { feedRevisionReader } from '../agents/adcp31/index.js';
import { createFeedWebhookJobs, type WireProduct } from '../jobs/feed-webhooks/index.js';
import type { AccountNotifications } from '../modules/account-notifications/index.js';
import { createFeedDeliveries } from '../modules/account-notifications/index.js';
import type { BuyingAgents } from '../modules/discovery/index.js';
import { agentIdOf, type StorefrontsService } from '../modules/storefronts/index.js';
import type { CustomerPrincipal } from '../platform/principal.js';
import type { Base } from './base.js';

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
  base: Base;
  store: AccountNotifications;
  merchandising: Pick<Merchandising, 'sendFeedWebhook'>;
  agents: Pick<BuyingAgents, 'call'>;
  storefronts: Pick<StorefrontsService, 'findById'>;
  actingPrincipal: (customerId: number) => Promise<CustomerPrincipal | undefined>;
}) {
  const { base, store } = parts;
  return createFeedWebhookJobs({
    store,
    deliveries: createFeedDeliveries({ db: base.db }),
    jobs: base.jobs,
    readRevision: feedRevisionReader(base.options.database.queryable),
    send: parts.merchandising.sendFeedWebhook,
    pollMs,
    coalesceSeconds,
    onError: (error) => base.options.onError?.(error, 'feed webhooks'),
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
