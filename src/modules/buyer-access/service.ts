import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { createBuyerInterest } from './buyer-interest.js';
import { createCredentials } from './credentials.js';
import type { BuyerAccessContext, BuyerAccessDeps } from './deps.js';
import { createOAuthService } from './oauth/service.js';
import * as rawStore from './store.js';
import { createStorefrontBrowsing } from './storefront-browsing.js';

export type { BuyerAccessDeps, DiscoveryPerformance } from './deps.js';

export type BuyerAccessService = ReturnType<typeof createBuyerAccessService>;

/**
 * Buyer access as one service: storefront browsing, interest, credentials and the OAuth flow,
 * sharing one credential read cache.
 */
export function createBuyerAccessService(deps: BuyerAccessDeps) {
  // Every forwarded call reads the buyer's credential per source: held briefly per
  // (customer, agent) (platform/read-cache.ts), cleared by any credential write here or in
  // the OAuth flow, which writes through the same store.
  const cache = createReadCache();
  const store = writesClear(
    rawStore,
    ['listCredentials', 'credentialsForAgents', 'latestInterest', 'interestIn', 'findCredential'],
    cache,
  );
  const now = deps.now ?? (() => new Date());
  const oauth = createOAuthService({
    db: deps.db,
    store,
    secrets: deps.secrets,
    fetch: deps.fetch,
    storefronts: deps.storefronts,
    inventorySources: deps.inventorySources,
    userEmail: (id) => deps.identity.userEmail(id),
    publicUrl: deps.publicUrl,
    redirectOrigins: deps.oauthRedirectOrigins ?? [],
    now,
  });
  const ctx: BuyerAccessContext = { deps, store, cache, oauth, now };

  return {
    ...createStorefrontBrowsing(ctx),
    ...createBuyerInterest(ctx),
    ...createCredentials(ctx),
    oauth,
  };
}
