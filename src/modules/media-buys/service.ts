import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StorefrontsService } from '../storefronts/index.js';
import * as store from './store.js';
import type { ApprovalStatus, ForwardLeg, ForwardOutcome, MerchandisingEvent } from './tables.js';
import { approvalView, reviewView, type ApprovalView, type ReviewView } from './views.js';

/** The outcome of sending a media buy (or creative) on to its inventory sources. */
export interface ForwardSummary {
  outcome: ForwardOutcome;
  legs: ForwardLeg[];
  error: string | null;
}

/**
 * What the agent layer does once an operator decides: forward an approved buy or creative to
 * its sources, and tell the buyer (task completion, push notification) either way.
 */
export interface DecisionHandler {
  forwardMediaBuy(row: store.MediaBuyRow): Promise<ForwardSummary>;
  mediaBuyDecided(row: store.MediaBuyRow, summary: ForwardSummary | null): Promise<void>;
  forwardCreative(row: store.CreativeRow): Promise<ForwardSummary>;
}

export interface MediaBuysDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  /** Late-bound: the agent layer that forwards is built after this service. */
  decisions: () => DecisionHandler;
}

export type MediaBuysService = ReturnType<typeof createMediaBuysService>;

/**
 * Media buys and creatives placed through storefront agents: the records the agent keeps, and
 * the operator's approval and creative-review queues (manual mode) with their decisions.
 */
export function createMediaBuysService(deps: MediaBuysDeps) {
  const { db, storefronts } = deps;

  async function event(
    row: Pick<
      store.MediaBuyRow,
      'storefrontId' | 'buyerCustomerId' | 'mediaBuyId' | 'discoveryRunId'
    >,
    name: MerchandisingEvent,
    detail: Record<string, unknown> = {},
  ) {
    await store.insertEvent(db, {
      storefrontId: row.storefrontId,
      buyerCustomerId: row.buyerCustomerId,
      mediaBuyId: row.mediaBuyId,
      discoveryRunId: row.discoveryRunId,
      event: name,
      detail,
    });
  }

  const saveCreativeForward = (row: store.CreativeRow, summary: ForwardSummary) =>
    store.updateCreative(db, row.id, {
      forwardResult: summary.legs,
      forwardedAt: forwardedAtOf(summary),
    });

  /** Saves how forwarding went and records the matching outcome event. */
  async function saveForward(row: store.MediaBuyRow, summary: ForwardSummary) {
    const saved = await store.updateMediaBuy(db, row.id, {
      forwardOutcome: summary.outcome,
      forwardResult: summary.legs,
      forwardError: summary.error,
      forwardedAt: forwardedAtOf(summary),
    });
    await event(
      saved,
      summary.outcome === 'all_completed' || summary.outcome === 'partial'
        ? 'media_buy_forwarded'
        : 'media_buy_forward_failed',
      {
        outcome: summary.outcome,
        sources: summary.legs.map((leg) => ({ sourceId: leg.sourceId, status: leg.status })),
      },
    );
    return saved;
  }

  return {
    // ---- Records the storefront agent keeps ----
    createRecord: (row: store.NewMediaBuy) => store.insertMediaBuy(db, row),
    findRecord: (storefrontId: number, mediaBuyId: string) =>
      store.findMediaBuy(db, storefrontId, mediaBuyId),
    recordsOf: (storefrontId: number, customerId: number, mediaBuyIds?: string[]) =>
      store.listMediaBuysOf(db, storefrontId, customerId, mediaBuyIds),
    setOverlays: (row: store.MediaBuyRow, overlays: Record<string, Record<string, unknown>>) =>
      store.updateMediaBuy(db, row.id, { targetingOverlays: overlays }),
    setTaskId: (row: store.MediaBuyRow, taskId: string) =>
      store.updateMediaBuy(db, row.id, { taskId }),
    saveForward,
    event,
    /** A new creative gets its review id here; a re-synced one keeps the one it has. */
    upsertCreative: (row: Omit<store.NewCreative, 'reviewId'>) =>
      store.upsertCreative(db, { ...row, reviewId: `crv_${randomBytes(10).toString('hex')}` }),
    creativesOf: (storefrontId: number, customerId: number, creativeIds?: string[]) =>
      store.listCreativesOf(db, storefrontId, customerId, creativeIds),
    saveCreativeForward,

    // ---- The operator's media-buy approval queue ----
    async listApprovals(
      principal: CustomerPrincipal,
      status: ApprovalStatus,
    ): Promise<ApprovalView[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await store.listApprovals(db, storefront.id, status)).map(approvalView);
    },

    async getApproval(principal: CustomerPrincipal, mediaBuyId: string): Promise<ApprovalView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findMediaBuy(db, storefront.id, mediaBuyId);
      if (!row?.approvalStatus) throw notFound('Media buy approval');
      return approvalView(row);
    },

    /**
     * Approves or rejects a pending buy; the decision is terminal. Approval forwards the buy to
     * its sources before answering, so the answer carries forwardOutcome and forwardResult.
     */
    async decideApproval(
      principal: CustomerPrincipal,
      mediaBuyId: string,
      input: { status: 'approved' | 'rejected'; reviewerNotes?: string | null | undefined },
    ): Promise<ApprovalView> {
      const storefront = await storefronts.requireOwn(principal);
      const decided = await store.decideMediaBuy(db, storefront.id, mediaBuyId, {
        status: input.status,
        reviewedBy: String(principal.userId),
        reviewerNotes: input.reviewerNotes ?? null,
      });
      if (!decided) {
        const existing = await store.findMediaBuy(db, storefront.id, mediaBuyId);
        if (!existing?.approvalStatus) throw notFound('Media buy approval');
        throw alreadyDecided('media buy', existing.approvalStatus);
      }
      const handler = deps.decisions();
      if (input.status === 'rejected') {
        await event(decided, 'media_buy_rejected', { reviewerNotes: decided.reviewerNotes });
        await handler.mediaBuyDecided(decided, null);
        return approvalView(decided);
      }
      const summary = await handler.forwardMediaBuy(decided);
      const saved = await saveForward(decided, summary);
      await handler.mediaBuyDecided(saved, summary);
      return approvalView(saved);
    },

    /**
     * Hosted API: re-forwards an approved buy whose forward did not complete. Safe to repeat:
     * every source gets the same idempotency key as before, so one that already booked it
     * replays its answer instead of booking twice. The buyer is not notified again; the buy's
     * state (get_media_buys) carries the new outcome.
     */
    async retryForward(principal: CustomerPrincipal, mediaBuyId: string): Promise<ApprovalView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findMediaBuy(db, storefront.id, mediaBuyId);
      if (!row?.approvalStatus) throw notFound('Media buy approval');
      if (row.approvalStatus !== 'approved') {
        throw new AppError(
          'conflict',
          `Only an approved media buy can be forwarded; this one is ${row.approvalStatus}`,
        );
      }
      if (row.forwardOutcome === 'all_completed') {
        throw new AppError('conflict', 'This media buy was already forwarded to every source');
      }
      const summary = await deps.decisions().forwardMediaBuy(row);
      return approvalView(await saveForward(row, summary));
    },

    // ---- The operator's creative-review queue ----
    async listReviews(principal: CustomerPrincipal, status: ApprovalStatus): Promise<ReviewView[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await store.listReviews(db, storefront.id, status)).map(reviewView);
    },

    async getReview(principal: CustomerPrincipal, reviewId: string): Promise<ReviewView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findReview(db, storefront.id, reviewId);
      if (!row) throw notFound('Creative review');
      return reviewView(row);
    },

    /** Approves (and forwards to the sources) or rejects a pending creative; terminal. */
    async decideReview(
      principal: CustomerPrincipal,
      reviewId: string,
      input: { status: 'approved' | 'rejected'; reviewer_notes?: string | null | undefined },
    ): Promise<ReviewView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findReview(db, storefront.id, reviewId);
      if (!row) throw notFound('Creative review');
      const decided = await store.decideCreative(db, row.id, {
        status: input.status,
        reviewedBy: String(principal.userId),
        reviewerNotes: input.reviewer_notes ?? null,
      });
      if (!decided) throw alreadyDecided('creative', row.status);
      if (input.status === 'approved') {
        const summary = await deps.decisions().forwardCreative(decided);
        await saveCreativeForward(decided, summary);
        return reviewView({ ...decided, forwardResult: summary.legs });
      }
      return reviewView(decided);
    },
  };
}

/** Forwarded when any source took it. */
const forwardedAtOf = (summary: ForwardSummary) =>
  summary.legs.some((leg) => leg.status !== 'failed') ? new Date() : null;

function alreadyDecided(what: string, status: string): AppError {
  return new AppError(
    'conflict',
    `This ${what} was already decided (${status}); decisions are final`,
    {
      field: 'status',
      details: { currentStatus: status },
    },
  );
}
