import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  decidePending,
  forwardedAtOf,
  type ForwardSummary,
  listQueue,
  reviewQueue,
} from '../orders/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { creativePurged } from './errors.js';
import * as store from './store.js';
import type { CreativeStatus } from './tables.js';
import { reviewView } from './views.js';

/** What an approved creative review sets off: forwarding it to its sources (the agent layer). */
export interface CreativeForwarder {
  forwardCreative(row: store.CreativeRow): Promise<ForwardSummary>;
}

export interface CreativeReviewsDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
}

/** The library the storefront agent keeps (what the agent layer is built on). */
export type CreativeRecords = ReturnType<typeof createCreativeReviewsService>;
/** The library with the operator's review queue, whose approvals forward through the agent. */
export type CreativeReviewsService = ReturnType<CreativeRecords['withForwarder']>;

/**
 * Creatives buyers sync through a storefront's agent (storefront_creatives): the library the
 * agent keeps per buyer, and the operator's creative-review queue (manual review mode), one
 * review queue of modules/orders' kind over the same store.
 *
 * The agent layer is built on the records and forwards approved creatives; `withForwarder`
 * joins the two once both exist, so neither is bound late.
 */
export function createCreativeReviewsService(deps: CreativeReviewsDeps) {
  const { db, storefronts } = deps;

  const saveCreativeForward = (row: store.CreativeRow, summary: ForwardSummary) =>
    store.updateCreative(db, row.id, {
      forwardResult: summary.legs,
      forwardedAt: forwardedAtOf(summary),
    });

  const records = {
    /** A new creative gets its review id here; a re-synced one keeps the one it has. */
    upsertCreative: (row: Omit<store.NewCreative, 'reviewId'>) =>
      store.upsertCreative(db, { ...row, reviewId: `crv_${randomBytes(10).toString('hex')}` }),
    /** A buyer's creatives in the library (purged ones are gone). */
    creativesOf: (storefrontId: number, customerId: number, creativeIds?: string[]) =>
      store.listCreativesOf(db, storefrontId, customerId, creativeIds),
    /** The same, purged ones too: their tombstones, and the buys they leave. */
    creativesWithPurgedOf: (storefrontId: number, customerId: number, creativeIds?: string[]) =>
      store.listCreativesOf(db, storefrontId, customerId, creativeIds, true),
    /**
     * Destroys one creative by the seller's side (the test controller; the caller checks whose
     * it is): a soft purge keeps the row as a tombstone; a hard one keeps none of its content
     * (an empty asset under its id and format, so its buys still read it as gone).
     */
    purge: (row: store.CreativeRow, kind: 'soft' | 'hard', reason: string, at: Date) =>
      store.updateCreative(db, row.id, {
        purgedAt: at,
        purgeKind: kind,
        purgeReason: reason,
        ...(kind === 'hard' && {
          submittedPayload: {
            creative_id: row.creativeId,
            name: row.creativeId,
            format_id: row.submittedPayload.format_id,
            assets: {},
          },
          reviewerNotes: null,
        }),
      }),
    saveCreativeForward,
    /**
     * Moves one creative by the seller's side (the test controller; the caller checks whose it
     * is and that the move is legal), with why (a creative-event reason code) and when.
     */
    forceStatus: (
      rowId: number,
      status: CreativeStatus,
      notes: string | null,
      reason: string | null = null,
    ) =>
      store.updateCreative(db, rowId, {
        status,
        reviewerNotes: notes,
        statusReason: reason,
        statusChangedAt: new Date(),
      }),
  };

  return {
    ...records,

    /** The records with the operator's creative-review queue; an approval forwards. */
    withForwarder(forwarder: CreativeForwarder) {
      const reviews = reviewQueue({
        what: 'Creative review',
        storefronts,
        list: (storefrontId, status) => listQueue(db, store.reviewsQueue, storefrontId, status),
        find: async (storefrontId, reviewId) => {
          const row = await store.findReview(db, storefrontId, reviewId);
          // A purged creative is gone: nothing to read or decide (errors.ts says so).
          if (row?.purgedAt) throw creativePurged(row.reviewId, row.purgedAt);
          return row;
        },
        statusOf: (row) => row.status,
        decide: (_storefrontId, row, decision) =>
          decidePending(db, store.reviewsQueue, store.creativeById(row.id), decision),
        decided: async (row) => {
          if (row.status !== 'approved') return reviewView(row);
          const summary = await forwarder.forwardCreative(row);
          await saveCreativeForward(row, summary);
          return reviewView({ ...row, forwardResult: summary.legs });
        },
        view: reviewView,
      });
      return {
        ...records,
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
