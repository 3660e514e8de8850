import { z } from 'zod';
import { reviewedSubmission } from '../orders/index.js';

export const reviewParams = z.object({ reviewId: z.string().min(1).max(255) });

/** Creative reviews take `reviewer_notes` (snake_case), unlike media-buy approvals. */
export const decideReviewBody = z.object({
  status: z.enum(['approved', 'rejected']),
  reviewer_notes: z.string().max(2000).nullish(),
});

export const reviewSchema = z.object({
  ...reviewedSubmission,
  /** What the review routes take: creative ids are the buyers' own and may repeat. */
  reviewId: z.string(),
  creativeId: z.string(),
  mediaBuyId: z.string().nullable(),
});
