import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import { approvalStatusQuery } from '../orders/index.js';
import { decideReviewBody, reviewParams, reviewSchema } from './schemas.js';
import type { CreativeReviewsService } from './service.js';

const base = '/api/v2/storefront/creative-reviews';

/** The seller's review queue for creatives sent through its storefront agent. */
export function creativeReviewRoutes(reviews: CreativeReviewsService) {
  const listOf = <T extends z.ZodType>(item: T) =>
    z.object({ items: z.array(item), total: z.number().int() });
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'creativeReviews.list',
      summary: 'List creatives by review status (default pending), newest first',
      tags: ['Creative reviews'],
      auth: 'seller',
      query: approvalStatusQuery,
      response: listOf(reviewSchema),
      handler: async ({ principal, query }) => {
        const items = await reviews.listReviews(principal, query.status);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:reviewId`,
      operationId: 'creativeReviews.get',
      summary: 'One creative review, by its reviewId (creative ids are the buyers’ and may repeat)',
      tags: ['Creative reviews'],
      auth: 'seller',
      params: reviewParams,
      response: reviewSchema,
      handler: ({ principal, params }) => reviews.getReview(principal, params.reviewId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:reviewId/decide`,
      operationId: 'creativeReviews.decide',
      summary: 'Approve (and forward to the sources) or reject a pending creative',
      description: 'Terminal: re-deciding answers 409. Note the snake_case reviewer_notes.',
      tags: ['Creative reviews'],
      auth: 'seller',
      params: reviewParams,
      body: decideReviewBody,
      response: reviewSchema,
      handler: ({ principal, params, body }) =>
        reviews.decideReview(principal, params.reviewId, body),
    }),
  ];
}
