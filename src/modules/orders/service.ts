import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  type MerchandisingEvent,
  type PackageDays,
  recordDeliveryDays,
  recordMerchandisingEvent,
} from '../merchandising-events/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { forwardedAtOf, type ForwardSummary } from './forward-summary.js';
import { approvalsQueue, decidePending, listQueue } from './review-store.js';
import * as store from './store.js';
import type { ForwardLeg, StoredAssignment } from './tables.js';
import { reviewQueue } from './review-queue.js';
import { buyNotices, type BuyNotices } from './notices.js';
import { approvalView, type ApprovalView } from './views.js';

export type { ForwardSummary } from './forward-summary.js';

/**
 * What the agent layer does once an operator decides: forward an approved buy to its sources,
 * and tell the buyer (task completion, push notification) either way.
 */
export interface DecisionHandler {
  /**
   * An operator is about to decide the buy: the agent layer records what the decision starts
   * (an approval's forward, a rejection's settling of the buyer's task), so a crash after the
   * decision is written leaves it to recovery.
   */
  deciding?(row: store.MediaBuyRow, status: 'approved' | 'rejected'): Promise<void>;
  /**
   * Forwards an approved buy to its sources; `save` keeps the outcome on the buy, after which
   * the agent layer settles the writes it recorded (a crash before leaves them to recovery).
   */
  forwardMediaBuy(
    row: store.MediaBuyRow,
    save: (summary: ForwardSummary) => Promise<store.MediaBuyRow>,
  ): Promise<{ summary: ForwardSummary; saved: store.MediaBuyRow }>;
  mediaBuyDecided(row: store.MediaBuyRow, summary: ForwardSummary | null): Promise<void>;
}

export interface MediaBuysDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  /** Who hears of buys submitted, decided and booked (modules/notifications). */
  notices?: BuyNotices;
}

/** The records the storefront agent keeps (what the agent layer is built on). */
export type MediaBuyRecords = ReturnType<typeof createMediaBuysService>;
/** The records with the operator's queue, whose decisions forward through the agent layer. */
export type MediaBuysService = ReturnType<MediaBuyRecords['withDecisions']>;

/**
 * Media buys placed through storefront agents: the records the agent keeps, and the operator's
 * approval queue (manual mode) with its decisions. (The creatives and their review queue are
 * modules/creative-reviews, on the same review queue.)
 *
 * The agent layer is built on the records and carries out decisions (forwarding to sources,
 * telling the buyer); `withDecisions` joins the two once both exist, so neither is bound late.
 */
export function createMediaBuysService(deps: MediaBuysDeps) {
  const { db, storefronts } = deps;
  const notices = buyNotices(deps.notices);

  /** Records an outcome event of this buy in the event log (modules/merchandising-events). */
  const event = (
    row: Pick<
      store.MediaBuyRow,
      'storefrontId' | 'buyerCustomerId' | 'mediaBuyId' | 'discoveryRunId'
    >,
    name: MerchandisingEvent,
    detail: Record<string, unknown> = {},
  ) => recordMerchandisingEvent(db, row, name, detail);

  /**
   * Saves how forwarding went and records the matching outcome event: forwarded, failed, or
   * rejected when its sources declined it (a person refused the booking they held as a task).
   */
  async function saveForward(row: store.MediaBuyRow, summary: ForwardSummary) {
    const saved = await store.updateMediaBuy(db, row.id, {
      forwardOutcome: summary.outcome,
      forwardResult: summary.legs,
      forwardError: summary.error,
      forwardedAt: forwardedAtOf(summary),
    });
    await event(saved, outcomeEventOf(summary), {
      outcome: summary.outcome,
      sources: summary.legs.map((leg) => ({ sourceId: leg.sourceId, status: leg.status })),
      ...(declinedBySources(summary) && { declinedBy: 'source' }),
    });
    await notices.forwarded(saved, summary);
    return saved;
  }

  const records = {
    // ---- Records the storefront agent keeps ----
    createRecord: (row: store.NewMediaBuy) => store.insertMediaBuy(db, row),
    /**
     * Records a buy as the storefront's approval mode has it: pending the operator's decision
     * (manual; the submission is in the outcome events) or ready to forward (auto).
     */
    async place(
      storefront: { mediaBuyApproval: string },
      row: Omit<store.NewMediaBuy, 'approvalMode' | 'approvalStatus'>,
    ): Promise<store.MediaBuyRow> {
      const manual = storefront.mediaBuyApproval === 'manual';
      const placed = await store.insertMediaBuy(db, {
        ...row,
        approvalMode: manual ? 'manual' : 'auto',
        approvalStatus: manual ? 'pending' : null,
      });
      if (manual) {
        const packages = (row.submittedPayload as { packages?: unknown[] }).packages ?? [];
        await event(placed, 'media_buy_submitted_for_approval', { packages: packages.length });
        await notices.submitted(placed);
      }
      return placed;
    },
    findRecord: (storefrontId: number, mediaBuyId: string) =>
      store.findMediaBuy(db, storefrontId, mediaBuyId),
    /** The buy waiting on a source's task (source-tasks.ts looks at it once the task settles). */
    findWaitingOnTask: (storefrontId: number, sourceId: string, taskId: string) =>
      store.findWaitingOnTask(db, storefrontId, sourceId, taskId),
    recordsOf: (storefrontId: number, customerId: number, mediaBuyIds?: string[]) =>
      store.listMediaBuysOf(db, storefrontId, customerId, mediaBuyIds),
    setOverlays: (row: store.MediaBuyRow, overlays: Record<string, Record<string, unknown>>) =>
      store.updateMediaBuy(db, row.id, { targetingOverlays: overlays }),
    setTaskId: (row: store.MediaBuyRow, taskId: string) =>
      store.updateMediaBuy(db, row.id, { taskId }),
    saveForward,
    event,
    /** What the buy's sources reported it delivered per package and day (storefront reporting). */
    recordDeliveryDays: (row: store.MediaBuyRow, packages: PackageDays[], at: Date) =>
      recordDeliveryDays(
        db,
        {
          storefrontId: row.storefrontId,
          buyerCustomerId: row.buyerCustomerId,
          mediaBuyId: row.mediaBuyId,
        },
        packages,
        at,
      ),
    /** Packages' creatives after an update, and (by package) those it sent inline. */
    setAssignments: (
      row: store.MediaBuyRow,
      assignments: Record<string, StoredAssignment[]>,
      inline?: Record<string, string[]>,
    ) => store.mergeCreativeAssignments(db, row.id, assignments, inline),
    setLegStatuses: (row: store.MediaBuyRow, statuses: Record<string, string>) =>
      store.setLegStatuses(db, row.id, statuses),
    /** Packages' budgets as their sources confirmed them after an update, by package id. */
    setPackageBudgets: (row: store.MediaBuyRow, budgets: Record<string, number>) =>
      store.setPackageBudgets(db, row.id, budgets),
    /** One source's leg, as recovery established it (replacing what the forward recorded). */
    putLeg: (row: store.MediaBuyRow, leg: ForwardLeg) => store.putLeg(db, row.id, leg),
    /** The buy a buyer's idempotency key recorded here (a retried create_media_buy resumes it). */
    findByKey: (storefrontId: number, customerId: number, idempotencyKey: string) =>
      store.findByKey(db, storefrontId, customerId, idempotencyKey),
  };

  return {
    ...records,

    /** The records with the operator's approval queue; decisions forward through `decisions`. */
    withDecisions(decisions: DecisionHandler) {
      const approvals = reviewQueue({
        what: 'Media buy approval',
        storefronts,
        list: (storefrontId, status) => listQueue(db, approvalsQueue, storefrontId, status),
        // Only buys that went through manual approval are in the queue.
        find: async (storefrontId, mediaBuyId) => {
          const row = await store.findMediaBuy(db, storefrontId, mediaBuyId);
          return row?.approvalStatus ? row : undefined;
        },
        statusOf: (row) => row.approvalStatus ?? 'approved',
        decide: async (storefrontId, row, decision) => {
          await decisions.deciding?.(row, decision.status);
          return decidePending(
            db,
            approvalsQueue,
            () => store.buyKey(storefrontId, row.mediaBuyId),
            decision,
          );
        },
        decided: async (row) => {
          const handler = decisions;
          await notices.decided(row);
          if (row.approvalStatus === 'rejected') {
            await event(row, 'media_buy_rejected', { reviewerNotes: row.reviewerNotes });
            await handler.mediaBuyDecided(row, null);
            return approvalView(row);
          }
          const { summary, saved } = await handler.forwardMediaBuy(row, (forwarded) =>
            saveForward(row, forwarded),
          );
          await handler.mediaBuyDecided(saved, summary);
          return approvalView(saved);
        },
        view: approvalView,
      });

      return {
        ...records,
        // ---- The operator's media-buy approval queue ----
        listApprovals: approvals.list,
        getApproval: approvals.get,
        /**
         * Approves or rejects a pending buy; the decision is terminal. Approval forwards the buy to
         * its sources before answering, so the answer carries forwardOutcome and forwardResult.
         */
        decideApproval: approvals.decide,

        /**
         * Hosted API: re-forwards an approved buy whose forward did not complete. Safe to repeat:
         * every source gets the same idempotency key as before, so one that already booked it
         * replays its answer instead of booking twice. The buyer is not notified again; the buy's
         * state (get_media_buys) carries the new outcome.
         */
        async retryForward(
          principal: CustomerPrincipal,
          mediaBuyId: string,
        ): Promise<ApprovalView> {
          const storefront = await storefronts.requireOwn(principal);
          const row = await approvals.require(storefront.id, mediaBuyId);
          if (row.approvalStatus !== 'approved') {
            throw new AppError(
              'conflict',
              `Only an approved media buy can be forwarded; this one is ${row.approvalStatus}`,
            );
          }
          if (row.forwardOutcome === 'all_completed') {
            throw new AppError('conflict', 'This media buy was already forwarded to every source');
          }
          const { saved } = await decisions.forwardMediaBuy(row, (forwarded) =>
            saveForward(row, forwarded),
          );
          return approvalView(saved);
        },
      };
    },
  };
}

/** Every source ended its part of the buy itself, one at least by declining it. */
const declinedBySources = (summary: ForwardSummary) =>
  summary.outcome === 'all_failed' &&
  summary.legs.length > 0 &&
  summary.legs.every(
    (leg) => leg.mediaBuyStatus === 'rejected' || leg.mediaBuyStatus === 'canceled',
  ) &&
  summary.legs.some((leg) => leg.mediaBuyStatus === 'rejected');

function outcomeEventOf(summary: ForwardSummary): MerchandisingEvent {
  if (summary.outcome === 'all_completed' || summary.outcome === 'partial') {
    return 'media_buy_forwarded';
  }
  return declinedBySources(summary) ? 'media_buy_rejected' : 'media_buy_forward_failed';
}
