import type { z } from 'zod';
import type { approvalSchema } from './schemas.js';
import type { MediaBuyRow } from './store.js';

/** PendingMediaBuyResponse, plus the forwarding fields once a decision forwarded it. */
export type ApprovalView = z.infer<typeof approvalSchema>;

export function approvalView(row: MediaBuyRow): ApprovalView {
  return {
    id: String(row.id),
    storefrontId: String(row.storefrontId),
    mediaBuyId: row.mediaBuyId,
    kind: 'create',
    buyerCustomerId: row.buyerCustomerId,
    submittedPayload: row.submittedPayload,
    status: row.approvalStatus ?? 'approved',
    reviewedBy: row.reviewedBy,
    reviewedAt: iso(row.reviewedAt),
    reviewerNotes: row.reviewerNotes,
    forwardedAt: iso(row.forwardedAt),
    forwardOutcome: row.forwardOutcome,
    forwardResult: row.forwardResult,
    forwardError: row.forwardError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
