import { AppError } from '../../platform/errors.js';

/**
 * A review whose creative the seller's side purged (AdCP 3.1: destruction, not a status): it is
 * gone, so reading or deciding it answers NOT_FOUND, saying why to the storefront's own operator
 * (another storefront's review is a plain NOT_FOUND: findReview is this storefront's only).
 */
export const creativePurged = (reviewId: string, purgedAt: Date) =>
  new AppError(
    'not_found',
    `Creative review ${reviewId} is gone: its creative was purged on ${purgedAt.toISOString()}, so there is nothing left to review`,
    { details: { reviewId, purgedAt: purgedAt.toISOString() } },
  );
