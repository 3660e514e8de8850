import { z } from 'zod';

/** The status an operator's queue is listed by (media-buy approvals, creative reviews). */
export const approvalStatusQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'revoked', 'archived']).default('pending'),
});

export const mediaBuyParams = z.object({ mediaBuyId: z.string().min(1).max(255) });

export const decideApprovalBody = z.object({
  status: z.enum(['approved', 'rejected']),
  reviewerNotes: z.string().max(2000).nullish(),
});

const forwardLeg = z.object({
  sourceId: z.string(),
  status: z.string(),
  upstreamMediaBuyId: z.string().optional(),
  packages: z
    .array(
      z.object({ packageId: z.string(), upstreamPackageId: z.string(), productId: z.string() }),
    )
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/**
 * What a media-buy approval and a creative review (modules/creative-reviews) share: the
 * submission and its decision.
 */
export const reviewedSubmission = {
  id: z.string(),
  storefrontId: z.string(),
  buyerCustomerId: z.number().int(),
  submittedPayload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'approved', 'rejected', 'revoked', 'archived']),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewerNotes: z.string().nullable(),
  forwardResult: z.array(forwardLeg).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const approvalSchema = z.object({
  ...reviewedSubmission,
  mediaBuyId: z.string(),
  /** Hosted API: what the approval is for. Only create_media_buy is held for approval here. */
  kind: z.enum(['create', 'update']),
  forwardedAt: z.string().nullable(),
  forwardOutcome: z
    .enum(['all_completed', 'partial', 'all_failed', 'precondition_failed'])
    .nullable(),
  forwardError: z.string().nullable(),
});
