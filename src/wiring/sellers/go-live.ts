import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ReadinessService } from '../../modules/readiness/index.js';
import type { StorefrontsService, StorefrontView } from '../../modules/storefronts/index.js';

/**
 * Going live, a seller's action across two modules: readiness gives the verdict for the
 * seller's storefront, storefronts moves it to TRANSACTING only while that verdict is ready.
 * Readiness is built over storefronts; this function is above both, so neither asks the other.
 */
export function goLiveOf(
  storefronts: Pick<StorefrontsService, 'activate'>,
  readiness: Pick<ReadinessService, 'verdict'>,
) {
  return (principal: CustomerPrincipal): Promise<StorefrontView> =>
    storefronts.activate(principal, (storefrontId) => readiness.verdict(storefrontId));
}
