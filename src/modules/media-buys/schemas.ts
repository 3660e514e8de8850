import { z } from 'zod';

export const approvalStatusQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'revoked', 'archived']).default('pending'),
});

export const mediaBuyParams = z.object({ mediaBuyId: z.string().min(1).max(255) });
export const reviewParams = z.object({ reviewId: z.string().min(1).max(255) });

export const decideApprovalBody = z.object({
  status: z.enum(['approved', 'rejected']),
  reviewerNotes: z.string().max(2000).nullish(),
});

/** Creative reviews take `reviewer_notes` (snake_case), unlike media-buy approvals. */
export const decideReviewBody = z.object({
  status: z.enum(['approved', 'rejected']),
  reviewer_notes: z.string().max(2000).nullish(),
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

/** What a media-buy approval and a creative review share: the submission and its decision. */
const reviewedSubmission = {
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

export const reviewSchema = z.object({
  ...reviewedSubmission,
  /** What the review routes take: creative ids are the buyers' own and may repeat. */
  reviewId: z.string(),
  creativeId: z.string(),
  mediaBuyId: z.string().nullable(),
});
