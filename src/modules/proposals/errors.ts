import { AppError, invalid } from '../../platform/errors.js';

/*
 * The proposals module's errors. REST renders them in the envelope; the storefront agent maps
 * the kinds to AdCP's PROPOSAL_NOT_FOUND / PROPOSAL_EXPIRED (buys/create/proposal-buy.ts).
 */

export const proposalNotFound = (field = 'proposalId') =>
  new AppError('not_found', 'Proposal not found', { field });

export const proposalCodeNotFound = (field = 'proposalCode') =>
  new AppError('not_found', 'Proposal code not found', { field });

/** A proposal or code past its expiry, or withdrawn by the seller: it can no longer be bought. */
export const proposalExpired = (why: 'expired' | 'revoked' | 'redeemed', field = 'proposalCode') =>
  new AppError(
    'conflict',
    why === 'revoked'
      ? 'This proposal code was revoked by the seller'
      : why === 'redeemed'
        ? 'This proposal code was already redeemed'
        : 'This proposal has expired; ask the seller for a new one',
    { field, code: 'PROPOSAL_EXPIRED', details: { reason: why } },
  );

export const expiryTooLate = (limit: Date) =>
  invalid(
    `expiresAt must be no later than the proposal's own expiry (${limit.toISOString()})`,
    'expiresAt',
  );

export const expiryPast = () => invalid('expiresAt must be in the future', 'expiresAt');

export const codeNotEditable = (status: string) =>
  new AppError('conflict', `A ${status} proposal code cannot be changed`, { field: 'status' });
