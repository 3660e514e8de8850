import type { ReadinessService } from '../../modules/readiness/index.js';
import type { StorefrontRow } from '../../modules/storefronts/index.js';
import { createFlow } from './flow.js';

/**
 * Storefront go-live. Owner: readiness (modules/readiness), the one verdict on whether a
 * storefront may transact. Callers: storefronts, whose `activate` re-checks the verdict
 * server-side before a storefront goes live, and buyer access, which shows buyers whether a
 * storefront can transact now. Both are built before readiness, which reads them.
 */
export function createStorefrontGoLive() {
  const flow = createFlow<Pick<ReadinessService, 'verdict' | 'availability'>>('storefront go-live');
  return {
    flow,
    verdict: (storefrontId: number) => flow.owner().verdict(storefrontId),
    availability: (storefront: StorefrontRow) => flow.owner().availability(storefront),
  };
}
