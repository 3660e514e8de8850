import type { JsonWebKey } from 'node:crypto';
import { feedRevisionReader } from '../../agents/adcp31/index.js';
import {
  type createBuyingAgents,
  type createMerchandising,
  createMirrorSignals,
  feedSignalPath,
} from '../../agents/merchandising/index.js';
import { createFeedWebhooks } from '../../jobs/feed-webhooks/index.js';
import type { createAccountNotifications } from '../../modules/account-notifications/index.js';
import { createFeedSignals } from '../../modules/feed-signals/index.js';
import { createPushVerifier } from '../../upstream/index.js';
import type { Base } from '../base.js';
import type { SellerArea } from '../sellers/area.js';

/** The wholesale feed webhooks, sent by the storefront agents, on the job queue. */
export function feedWebhooksOf(
  base: Base,
  sellers: SellerArea,
  store: ReturnType<typeof createAccountNotifications>,
  merchandising: ReturnType<typeof createMerchandising>,
  agents: ReturnType<typeof createBuyingAgents>,
) {
  const { options } = base;
  return createFeedWebhooks({
    db: base.db,
    jobs: base.jobs,
    readRevision: feedRevisionReader(options.database.queryable),
    onError: (error) => options.onError?.(error, 'feed webhooks'),
    store,
    send: merchandising.sendFeedWebhook,
    agents,
    storefronts: sellers.storefronts,
    actingPrincipal: (customerId) => sellers.identity.actingPrincipal(customerId),
  });
}

/**
 * The feed mirror's webhook subscriptions at its sources (issue 49 item 6): the subscriptions
 * and signals in PostgreSQL, the mirror's side (subscribe, answer unasked while quiet) and the
 * receiver's (verify under the source origin's published keys, record the signal). A source on
 * this very origin signs with this deployment's agents' key, known without a fetch.
 */
export function feedSignalsOf(base: Base, ownKeys: ReadonlyArray<JsonWebKey & { kid: string }>) {
  const signals = createFeedSignals({ db: base.db });
  const onError = (error: unknown) => base.options.onError?.(error, 'feed mirror signals');
  const verifier = createPushVerifier({
    queryable: base.options.database.queryable,
    localKeys: (origin) => (origin === base.ownOrigin() ? ownKeys : undefined),
    jwksUrlOf: (origin) => Promise.resolve(`${origin}/.well-known/jwks.json`),
    fetch: base.outbound.fetch,
    publicOrigin: base.ownOrigin,
  });
  return {
    mirror: createMirrorSignals({
      signals,
      receiverUrl: (id) => `${base.ownOrigin()}${feedSignalPath(id)}`,
      onError,
    }),
    /** What app.ts mounts at /adcp/feed-signals/{id}. */
    receiver: { signals, verify: verifier.verify, onError },
  };
}
