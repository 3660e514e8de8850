import type { NotificationEvent } from '../notifications/index.js';
import type { ForwardSummary } from './forward-summary.js';
import type { MediaBuyRow } from './store.js';

/** Where a buy's seller and buyer hear about it (modules/notifications); absent: nobody. */
export interface BuyNotices {
  notify(event: NotificationEvent): Promise<void>;
  /** The customer owning a storefront (its seller). */
  sellerOf(storefrontId: number): Promise<number | undefined>;
}

const startOf = (row: MediaBuyRow) => {
  const start = (row.submittedPayload as { start_time?: unknown }).start_time;
  return typeof start === 'string' ? start : null;
};

/**
 * The media-buy events people hear about: the seller, a buy waiting on its approval; the buyer,
 * its buy approved, rejected, or live (booked with its sources). Each is keyed by the buy, so a
 * decision replayed by recovery tells nobody twice.
 */
export function buyNotices(notices: BuyNotices | undefined) {
  return {
    async submitted(row: MediaBuyRow) {
      if (!notices) return;
      const seller = await notices.sellerOf(row.storefrontId);
      if (seller === undefined) return;
      await notices.notify({
        customerId: seller,
        type: 'media_buy.approval_requested',
        status: 'warning',
        message: `Media buy ${row.mediaBuyId} waits for your approval.`,
        actionUrl: '/console/reviews',
        data: { mediaBuyId: row.mediaBuyId, buyerCustomerId: row.buyerCustomerId },
        eventKey: `media_buy:${row.storefrontId}:${row.mediaBuyId}:approval_requested`,
      });
    },

    async decided(row: MediaBuyRow) {
      if (!notices || !row.approvalStatus) return;
      const approved = row.approvalStatus === 'approved';
      if (!approved && row.approvalStatus !== 'rejected') return;
      const notes = row.reviewerNotes ? ` Reviewer's notes: ${row.reviewerNotes}` : '';
      await notices.notify({
        customerId: row.buyerCustomerId,
        type: approved ? 'media_buy.approved' : 'media_buy.rejected',
        status: approved ? 'success' : 'error',
        message: `The seller ${approved ? 'approved' : 'rejected'} media buy ${row.mediaBuyId}.${notes}`,
        actionUrl: '/console/inbox',
        data: { mediaBuyId: row.mediaBuyId, storefrontId: row.storefrontId },
        eventKey: `media_buy:${row.storefrontId}:${row.mediaBuyId}:${row.approvalStatus}`,
      });
    },

    async forwarded(row: MediaBuyRow, summary: ForwardSummary) {
      if (!notices) return;
      if (summary.outcome !== 'all_completed' && summary.outcome !== 'partial') return;
      const start = startOf(row);
      await notices.notify({
        customerId: row.buyerCustomerId,
        type: 'media_buy.live',
        status: 'success',
        message:
          `Media buy ${row.mediaBuyId} is booked with ` +
          `${summary.outcome === 'partial' ? 'some of ' : ''}its sources` +
          `${start ? ` and runs from ${start}` : ''}.`,
        actionUrl: '/console/inbox',
        data: {
          mediaBuyId: row.mediaBuyId,
          storefrontId: row.storefrontId,
          outcome: summary.outcome,
        },
        eventKey: `media_buy:${row.storefrontId}:${row.mediaBuyId}:live`,
      });
    },
  };
}
