import type { z } from 'zod';
import type { reviewSchema } from './schemas.js';
import type { CreativeRow } from './store.js';

export type ReviewView = z.infer<typeof reviewSchema>;

export function reviewView(row: CreativeRow): ReviewView {
  return {
    id: String(row.id),
    storefrontId: String(row.storefrontId),
    reviewId: row.reviewId,
    creativeId: row.creativeId,
    mediaBuyId: row.mediaBuyId,
    buyerCustomerId: row.buyerCustomerId,
    submittedPayload: { ...row.submittedPayload },
    // The operator's review decision: a suspended creative was approved (its suspension is a
    // serving state the buyer reads over AdCP, not a review outcome).
    status: row.status === 'suspended' ? 'approved' : row.status,
    reviewedBy: row.reviewedBy,
    reviewedAt: iso(row.reviewedAt),
    reviewerNotes: row.reviewerNotes,
    forwardResult: row.forwardResult,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
