import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { forwardedAtOf, type ForwardSummary } from './forward-summary.js';
import { reviewQueue } from './review-queue.js';
import { decidePending, listQueue } from './review-store.js';
import * as store from './store.js';
import { reviewView } from './views.js';

/** What an approved creative review sets off: forwarding it to its sources (the agent layer). */
export interface CreativeForwarder {
  forwardCreative(row: store.CreativeRow): Promise<ForwardSummary>;
}

/**
 * Creatives buyers sync through a storefront's agent (storefront_creatives): the library the
 * agent keeps per buyer, and the operator's creative-review queue (manual review mode).
 */
export function creativeReviews(deps: {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
}) {
  const { db, storefronts } = deps;

  const saveCreativeForward = (row: store.CreativeRow, summary: ForwardSummary) =>
    store.updateCreative(db, row.id, {
      forwardResult: summary.legs,
      forwardedAt: forwardedAtOf(summary),
    });

  return {
    /** The library the storefront agent keeps. */
    records: {
      /** A new creative gets its review id here; a re-synced one keeps the one it has. */
      upsertCreative: (row: Omit<store.NewCreative, 'reviewId'>) =>
        store.upsertCreative(db, { ...row, reviewId: `crv_${randomBytes(10).toString('hex')}` }),
      creativesOf: (storefrontId: number, customerId: number, creativeIds?: string[]) =>
        store.listCreativesOf(db, storefrontId, customerId, creativeIds),
      saveCreativeForward,
    },

    /** The operator's creative-review queue; an approval forwards through `forwarder`. */
    queue(forwarder: CreativeForwarder) {
      const reviews = reviewQueue({
        what: 'Creative review',
        storefronts,
        list: (storefrontId, status) => listQueue(db, 'reviews', storefrontId, status),
        find: (storefrontId, reviewId) => store.findReview(db, storefrontId, reviewId),
        statusOf: (row) => row.status,
        decide: (_storefrontId, row, decision) =>
          decidePending(db, 'reviews', (table) => eq(table.id, row.id), decision),
        decided: async (row) => {
          if (row.status !== 'approved') return reviewView(row);
          const summary = await forwarder.forwardCreative(row);
          await saveCreativeForward(row, summary);
          return reviewView({ ...row, forwardResult: summary.legs });
        },
        view: reviewView,
      });
      return {
        listReviews: reviews.list,
        getReview: reviews.get,
        /** Approves (and forwards to the sources) or rejects a pending creative; terminal. */
        decideReview: (
          principal: CustomerPrincipal,
          reviewId: string,
          input: { status: 'approved' | 'rejected'; reviewer_notes?: string | null | undefined },
        ) =>
          reviews.decide(principal, reviewId, {
            status: input.status,
            reviewerNotes: input.reviewer_notes,
          }),
      };
    },
  };
}
