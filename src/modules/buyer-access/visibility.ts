import type { CustomerPrincipal } from '../../platform/principal.js';
import { storefrontScopeOf } from '../identity/index.js';
import type { StorefrontRow } from '../storefronts/index.js';

/**
 * Who sees a storefront on the buyer API: anyone, when it is listed, not hidden and not archived;
 * its own organisation always; a sponsored buyer only its sponsoring storefront (listed or not).
 */
export function isVisibleTo(principal: CustomerPrincipal, row: StorefrontRow): boolean {
  const scope = storefrontScopeOf(principal);
  if (scope !== null) return row.id === scope;
  if (row.organizationId === principal.organizationId) return true;
  return row.marketplaceStatus === 'LISTED' && !row.hidden && !row.archivedAt;
}
