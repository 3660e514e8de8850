import type { ReadinessService } from '../../modules/readiness/index.js';
import type { StorefrontRow } from '../../modules/storefronts/index.js';
import { createFlow } from './flow.js';

/**
 * Storefront availability. Owner: readiness (modules/readiness), the one verdict on whether a
 * storefront may transact. Caller: buyer access, which shows buyers whether a storefront can
 * transact now; it is built before readiness, which reads compliance, which presents buyers'
 * credentials through buyer access. Going live is no flow: an action above storefronts and
 * readiness (wiring/sellers/go-live.ts).
 */
export function createStorefrontAvailability() {
  const flow = createFlow<Pick<ReadinessService, 'availability'>>(
    'storefront availability',
    'modules',
  );
  return {
    flow,
    availability: (storefront: StorefrontRow) => flow.owner().availability(storefront),
  };
}
