import { AppError, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';

/**
 * The sponsored-buyer confinement, in one place: every buyer-side surface (REST, buyer MCP,
 * storefront agents) asks these instead of checking sponsorship itself (seed 000: a sponsored
 * buyer sees and transacts with its sponsoring storefront only).
 */

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
