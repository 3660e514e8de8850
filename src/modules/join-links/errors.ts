import { AppError, notFound } from '../../platform/errors.js';

export const joinLinkNotFound = () => notFound('Join link');

/**
 * An unknown storefront and another organisation's answer the same, so minting a link cannot be
 * used to learn which storefront ids exist.
 */
export const storefrontNotFound = () =>
  new AppError('not_found', 'Storefront not found', { field: 'storefrontId' });

export type UnavailableReason = 'closed' | 'revoked' | 'expired' | 'exhausted' | 'archived';

const reasons: Record<UnavailableReason, string> = {
  closed: 'This join link is closed to new signups',
  revoked: 'This join link has been disabled by the seller',
  expired: 'This join link has expired',
  exhausted: 'This join link has reached its maximum number of signups',
  archived: 'This storefront is no longer accepting buyers',
};

/** A signup refused because the link exists but cannot admit anyone now. */
export const linkUnavailable = (reason: UnavailableReason) =>
  new AppError('conflict', reasons[reason], {
    code: 'JOIN_LINK_UNAVAILABLE',
    details: { reason },
  });
