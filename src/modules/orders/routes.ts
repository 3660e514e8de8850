import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  approvalSchema,
  approvalStatusQuery,
  decideApprovalBody,
  mediaBuyParams,
} from './schemas.js';
import type { MediaBuysService } from './service.js';

const approvals = '/api/v2/storefront/media-buy-approvals';

/**
 * The seller's approval queue for buys sent through its storefront agent (creative reviews,
 * registered right after these: modules/creative-reviews).
 */
export function mediaBuyApprovalRoutes(mediaBuys: MediaBuysService) {
  const listOf = <T extends z.ZodType>(item: T) =>
    z.object({ items: z.array(item), total: z.number().int() });
  return [
    defineRoute({
      method: 'GET',
      url: approvals,
      operationId: 'mediaBuyApprovals.list',
      summary: 'List media buys by approval status (default pending), newest first',
      tags: ['Media buy approvals'],
      auth: 'seller',
      query: approvalStatusQuery,
      response: listOf(approvalSchema),
      handler: async ({ principal, query }) => {
        const items = await mediaBuys.listApprovals(principal, query.status);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${approvals}/:mediaBuyId`,
      operationId: 'mediaBuyApprovals.get',
      summary: 'One media buy approval entry, by the media buy id the buyer was given',
      tags: ['Media buy approvals'],
      auth: 'seller',
      params: mediaBuyParams,
      response: approvalSchema,
      handler: ({ principal, params }) => mediaBuys.getApproval(principal, params.mediaBuyId),
    }),
    defineRoute({
      method: 'POST',
      url: `${approvals}/:mediaBuyId/decide`,
      operationId: 'mediaBuyApprovals.decide',
      summary: 'Approve (and forward to the sources) or reject a pending media buy',
      description:
        'Terminal: deciding an entry that is not pending answers 409. Approval forwards the buy ' +
        'to each of its sources before answering; forwardOutcome, forwardResult[] and ' +
        'forwardError say how that went. The buyer is notified either way.',
      tags: ['Media buy approvals'],
      auth: 'seller',
      params: mediaBuyParams,
      body: decideApprovalBody,
      response: approvalSchema,
      handler: ({ principal, params, body }) =>
        mediaBuys.decideApproval(principal, params.mediaBuyId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${approvals}/:mediaBuyId/retry-forward`,
      operationId: 'mediaBuyApprovals.retryForward',
      summary: 'Forward again an approved media buy whose forward did not complete',
      description:
        'Idempotent: each source gets the same idempotency key as the first forward, so one that ' +
        'already booked the buy is not double-booked. 409 unless the entry is approved and its ' +
        'forwardOutcome is not all_completed.',
      tags: ['Media buy approvals'],
      auth: 'seller',
      params: mediaBuyParams,
      response: approvalSchema,
      handler: ({ principal, params }) => mediaBuys.retryForward(principal, params.mediaBuyId),
    }),
  ];
}
