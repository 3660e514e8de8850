import { flightStartOf } from '../orders/index.js';
import { cents } from '../../platform/pricing.js';
import type { ForwardLegRead } from './read-tables.js';
import type { MediaBuyReadRow } from './store.js';

export const sellerMediaBuyStatuses = [
  'pending_approval',
  'forwarding',
  'forward_failed',
  'awaiting_source',
  'rejected',
  'canceled',
  'booked',
  'delivering',
  'paused',
  'completed',
] as const;
export type SellerMediaBuyStatus = (typeof sellerMediaBuyStatuses)[number];

type Buy = MediaBuyReadRow['buy'];

/**
 * The seller lifecycle state of a buy, from its approval gate, how forwarding went, what its
 * sources last said of it and whether delivery was reported: pending → pending_approval;
 * rejected → rejected; revoked → canceled; every source failed → forward_failed, unless the
 * sources ended it themselves (a person declined the booking: the source's task ended
 * `rejected`, or `canceled`), which is rejected (or canceled), not a forward that failed; every
 * source that took it says canceled (or rejected) → canceled (rejected), whatever it delivered
 * before; forwarded with every leg submitted (the source moderates) → awaiting_source;
 * forwarded and delivery reported → delivering; forwarded → booked; anything else (approved or
 * auto, not yet forwarded) → forwarding.
 */
export function sellerStatusOf(buy: Buy, delivered: boolean): SellerMediaBuyStatus {
  if (buy.approvalStatus === 'pending') return 'pending_approval';
  if (buy.approvalStatus === 'rejected') return 'rejected';
  if (buy.approvalStatus === 'revoked') return 'canceled';
  if (buy.forwardOutcome === 'all_failed' || buy.forwardOutcome === 'precondition_failed') {
    const ended = (buy.forwardResult ?? []).map((l) => l.mediaBuyStatus);
    if (ended.length > 0 && ended.every((s) => s === 'rejected' || s === 'canceled')) {
      return ended.includes('rejected') ? 'rejected' : 'canceled';
    }
    return 'forward_failed';
  }
  const taking = (buy.forwardResult ?? []).filter((l) => l.status !== 'failed');
  for (const ended of ['canceled', 'rejected'] as const) {
    if (taking.length > 0 && taking.every((l) => l.mediaBuyStatus === ended)) return ended;
  }
  if (buy.forwardOutcome === 'all_completed' || buy.forwardOutcome === 'partial') {
    if (delivered) return 'delivering';
    const legs = (buy.forwardResult ?? []).filter((l) => l.status !== 'failed');
    return legs.length > 0 && legs.every((l) => l.status === 'submitted')
      ? 'awaiting_source'
      : 'booked';
  }
  return 'forwarding';
}

const packagesOf = (payload: Record<string, unknown>) =>
  Array.isArray(payload['packages'])
    ? (payload['packages'] as unknown[]).filter(
        (p): p is Record<string, unknown> => !!p && typeof p === 'object',
      )
    : [];

/** The product ids a buy names (its packages' product_id), deduplicated, in order. */
export function productIdsOf(payload: Record<string, unknown>): string[] {
  const ids = packagesOf(payload).flatMap((p) =>
    typeof p['product_id'] === 'string' ? [p['product_id']] : [],
  );
  return [...new Set(ids)];
}

/** total_budget.amount when given, else the sum of the packages' budgets; null when neither. */
export function budgetOf(payload: Record<string, unknown>): number | null {
  const total = payload['total_budget'] as { amount?: unknown } | undefined;
  if (total && typeof total.amount === 'number' && Number.isFinite(total.amount)) {
    return total.amount;
  }
  const budgets = packagesOf(payload).flatMap((p) =>
    typeof p['budget'] === 'number' && Number.isFinite(p['budget']) ? [p['budget']] : [],
  );
  return budgets.length === 0 ? null : budgets.reduce((s, b) => s + b, 0);
}

/**
 * A buy's budget as its sources last confirmed it: the budget booked (budgetOf) moved by each
 * package whose source confirmed another after an update (orders' setPackageBudgets, read back
 * from the source), against that package's booked budget (as routed). Null when none was booked.
 */
export function confirmedBudgetOf(
  buy: Pick<Buy, 'submittedPayload' | 'routedPackages' | 'forwardResult'>,
): number | null {
  const booked = budgetOf(buy.submittedPayload);
  if (booked === null) return null;
  const routed = buy.routedPackages ?? packagesOf(buy.submittedPayload);
  let shift = 0;
  for (const pkg of (buy.forwardResult ?? []).flatMap((leg) => leg.packages ?? [])) {
    // The buy's first package of the product is the one the package was made from.
    const asBooked = routed.find((p) => p['product_id'] === pkg.productId)?.['budget'];
    if (typeof pkg.budget === 'number' && typeof asBooked === 'number') {
      shift += pkg.budget - asBooked;
    }
  }
  return cents(booked + shift);
}

const forwardOutcomeOf = (buy: Buy) => {
  const legs = buy.forwardResult ?? [];
  if (!buy.forwardOutcome) return 'not_forwarded' as const;
  if (buy.forwardOutcome === 'all_failed' || buy.forwardOutcome === 'precondition_failed') {
    return 'failed' as const;
  }
  if (buy.forwardOutcome === 'partial') return 'partial' as const;
  return legs.length > 0 && legs.every((l) => l.status === 'submitted')
    ? ('all_submitted' as const)
    : ('all_completed' as const);
};

const pendingReasonOf = (status: SellerMediaBuyStatus) =>
  status === 'pending_approval'
    ? ('awaiting_storefront_approval' as const)
    : status === 'forward_failed'
      ? ('forward_failed_needs_correction' as const)
      : status === 'awaiting_source'
        ? ('awaiting_source_moderation' as const)
        : null;

const flight = (value: unknown) => (typeof value === 'string' && value !== 'asap' ? value : null);

/**
 * A buy's flight start as the seller reads it: an `asap` start resolved as its sources were
 * sent it and its buyer reads it (orders' flightStartOf: when the storefront placed the buy).
 */
export const flightStartShown = (buy: Buy) => flight(flightStartOf(buy));

/** A row of the storefront's media-buy list (hosted StorefrontMediaBuySummary). */
export function mediaBuySummaryOf(row: MediaBuyReadRow) {
  const { buy } = row;
  const status = sellerStatusOf(buy, row.delivered);
  const legs: ForwardLegRead[] = buy.forwardResult ?? [];
  const pendingReason = pendingReasonOf(status);
  return {
    mediaBuyId: buy.mediaBuyId,
    kind: 'routed' as const,
    buyer: { customerId: buy.buyerCustomerId, name: row.buyerName ?? null },
    status,
    sourceStatus: legs.find((l) => l.mediaBuyStatus)?.mediaBuyStatus ?? null,
    settlementMethod: null,
    pendingReason,
    pendingSince: pendingReason ? (buy.forwardedAt ?? buy.createdAt).toISOString() : null,
    errorCode: legs.find((l) => l.error)?.error?.code ?? null,
    forwardOutcome: forwardOutcomeOf(buy),
    flightStart: flightStartShown(buy),
    flightEnd: flight(buy.submittedPayload['end_time']),
    sourceCount: new Set(legs.map((l) => l.sourceId)).size,
    esaId: null,
    createdAt: buy.createdAt.toISOString(),
    forwardedAt: buy.forwardedAt?.toISOString() ?? null,
  };
}
