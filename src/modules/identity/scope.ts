import { AppError, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';

/**
 * The sponsored-buyer confinement, in one place: every buyer-side surface (REST, buyer MCP,
 * storefront agents) asks these instead of checking sponsorship itself (seed 000: a sponsored
 * buyer sees and transacts with its sponsoring storefront only).
 */

/** What the visibility rules read of a storefront (the storefronts module's row has it all). */
export interface StorefrontExposure {
  id: number;
  organizationId: number;
  marketplaceStatus: string;
  hidden: boolean;
  archivedAt: Date | null;
  activatedAt: Date | null;
}

/** Listed in the marketplace: reviewed and listed, not hidden by an admin, not archived. */
function isListed(storefront: StorefrontExposure): boolean {
  return (
    storefront.marketplaceStatus === 'LISTED' &&
    !storefront.hidden &&
    storefront.archivedAt === null
  );
}

/**
 * Whether anyone with a key may use the storefront's AdCP agent: listed and transacting
 * (seed 003: a storefront answers buyers once it is live). Its card is public then.
 */
export function isAgentExposed(storefront: StorefrontExposure): boolean {
  return isListed(storefront) && storefront.activatedAt !== null;
}

/**
 * Whether the caller sees a storefront on the buyer API: a sponsored buyer only its sponsoring
 * storefront (listed or not); its own organisation always; anyone else when it is listed, live
 * or still being set up (buyers may browse and register interest before it transacts).
 */
export function maySeeStorefront(
  principal: CustomerPrincipal,
  storefront: StorefrontExposure,
): boolean {
  const scope = storefrontScopeOf(principal);
  if (scope !== null) return storefront.id === scope;
  if (storefront.organizationId === principal.organizationId) return true;
  return isListed(storefront);
}

/**
 * Whether the caller may use a storefront's AdCP agent: never an archived one; its own
 * organisation; a sponsored buyer only its sponsoring storefront; anyone else only when the
 * agent is exposed (listed and transacting). The same rule as the buyer API, plus "transacting".
 */
export function mayUseStorefrontAgent(
  principal: CustomerPrincipal,
  storefront: StorefrontExposure,
): boolean {
  if (storefront.archivedAt !== null) return false;
  const scope = storefrontScopeOf(principal);
  if (scope !== null) return storefront.id === scope;
  if (storefront.organizationId === principal.organizationId) return true;
  return isAgentExposed(storefront);
}

/** The only storefront the caller may see, or null when it may see the marketplace. */
export function storefrontScopeOf(principal: CustomerPrincipal): number | null {
  return principal.sponsorship?.storefrontId ?? null;
}

/** Whether the caller may see this storefront at all (outside the scope it does not exist). */
export function canSeeStorefront(principal: CustomerPrincipal, storefrontId: number): boolean {
  const scope = storefrontScopeOf(principal);
  return scope === null || scope === storefrontId;
}

/** Throws NOT_FOUND for a storefront outside the caller's scope: existence does not leak. */
export function assertStorefrontVisible(principal: CustomerPrincipal, storefrontId: number): void {
  if (!canSeeStorefront(principal, storefrontId)) throw notFound('Storefront');
}

/**
 * Creating or editing media buys: only an active sponsored buyer (or a marketplace buyer) may.
 * Suspension blocks new buys and edits; delivery already running is not this check's business.
 */
export function assertMayTransact(principal: CustomerPrincipal, storefrontId: number): void {
  assertStorefrontVisible(principal, storefrontId);
  const status = principal.sponsorship?.status;
  if (status && status !== 'active') {
    throw new AppError(
      'forbidden',
      status === 'pending'
        ? 'Your account is waiting for the seller to approve it; it cannot buy yet'
        : 'The seller has suspended your account; it cannot create or change media buys',
      { code: 'SPONSORED_BUYER_NOT_ACTIVE', details: { sponsorshipStatus: status } },
    );
  }
}
