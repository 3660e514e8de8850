import { invalid } from '../../platform/errors.js';
import { cents as round2 } from '../../platform/pricing.js';
import type { MediaBuyReadRow } from './store.js';
import { budgetOf, confirmedBudgetOf, mediaBuySummaryOf, productIdsOf } from './views.js';

/**
 * What the orders list adds to a buy's summary, composed from other modules through ports the
 * wiring passes in: the open work items of each source leg (modular sources' queues) and the
 * sources' names (inventory sources). Each is optional: without it the figure reads 0 or null.
 */
export interface OrderPorts {
  /** Open work items per (source id, that source's own media buy id) of a storefront. */
  openWorkItems?: (
    storefrontId: number,
  ) => Promise<Array<{ sourceId: string; mediaBuyId: string; count: number }>>;
  /** The storefront's inventory sources' names by source id. */
  sourceNames?: (storefrontId: number) => Promise<Map<string, string>>;
}

/** A buy's last relayed delivery (cumulative totals) and when it came. */
export interface LastDelivery {
  detail: Record<string, unknown>;
  createdAt: Date;
}

const day = 86_400_000;
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown) => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/**
 * Delivered against expected to date: expected is the budget spread evenly over the flight
 * (an `asap` start counts from when the buy was placed), up to now; the ratio is delivered spend
 * over expected spend, null before the flight starts or without a budget and an end.
 */
export function pacingOf(
  budget: number | null,
  flight: { start: Date; end: Date | null },
  last: LastDelivery | undefined,
  now: Date,
) {
  const deliveredSpend = round2(num(last?.detail['spend']));
  const deliveredImpressions = Math.round(num(last?.detail['impressions']));
  let expectedSpend: number | null = null;
  if (budget !== null && flight.end && flight.end > flight.start) {
    const elapsed = Math.min(
      Math.max(now.getTime() - flight.start.getTime(), 0),
      flight.end.getTime() - flight.start.getTime(),
    );
    expectedSpend = round2((budget * elapsed) / (flight.end.getTime() - flight.start.getTime()));
  }
  return {
    deliveredSpend,
    deliveredImpressions,
    expectedSpend,
    pacingRatio: expectedSpend ? round2(deliveredSpend / expectedSpend) : null,
    lastReportedAt: last?.createdAt.toISOString() ?? null,
  };
}

/** One row of the orders list: the hosted summary and the fields a seller runs its day with. */
export function orderOf(
  row: MediaBuyReadRow,
  extra: {
    last: LastDelivery | undefined;
    openWorkItems: number;
    sourceNames: Map<string, string>;
    /** The storefront's default currency, for a buy that names none. */
    currency: string | null;
    now: Date;
  },
) {
  const summary = mediaBuySummaryOf(row);
  const payload = row.buy.submittedPayload;
  const brand = payload['brand'] as { domain?: unknown } | undefined;
  const total = payload['total_budget'] as { currency?: unknown } | undefined;
  // What the sources confirmed (after an update) is what the seller runs the buy on.
  const budget = confirmedBudgetOf(row.buy);
  const start = summary.flightStart ? new Date(summary.flightStart) : row.buy.createdAt;
  const end = summary.flightEnd ? new Date(summary.flightEnd) : null;
  const legs = row.buy.forwardResult ?? [];
  return {
    ...summary,
    brandDomain: text(brand?.domain),
    poNumber: text(payload['po_number']),
    budget,
    bookedBudget: budgetOf(payload),
    currency: text(total?.currency) ?? extra.currency,
    productIds: productIdsOf(payload),
    sources: [...new Map(legs.map((l) => [l.sourceId, l])).values()].map((l) => ({
      sourceId: l.sourceId,
      name: extra.sourceNames.get(l.sourceId) ?? null,
      sourceMediaBuyId: l.upstreamMediaBuyId ?? null,
      status: l.mediaBuyStatus ?? null,
    })),
    pacing: pacingOf(budget, { start, end }, extra.last, extra.now),
    openWorkItems: extra.openWorkItems,
    buyerRefs: {
      agencyEstimateNumber: text(payload['agency_estimate_number']),
      planId: text(payload['plan_id']),
      proposalId: text(payload['proposal_id']),
    },
  };
}

export type Order = ReturnType<typeof orderOf>;

/** Whether a buy still waits on someone and its flight starts within 48 hours. */
export const isUrgent = (o: Order, now: Date) =>
  o.pendingReason !== null &&
  o.flightStart !== null &&
  Date.parse(o.flightStart) <= now.getTime() + 2 * day;

/** The list's order: urgent first, then newest, then by id (a total order a cursor can name). */
export interface OrderKey {
  u: 0 | 1;
  c: string;
  i: string;
}

export const keyOf = (o: Order, now: Date): OrderKey => ({
  u: isUrgent(o, now) ? 1 : 0,
  c: o.createdAt ?? '',
  i: o.mediaBuyId,
});

/** Negative when `a` comes before `b` in the list. */
export const compareKeys = (a: OrderKey, b: OrderKey) =>
  b.u - a.u || b.c.localeCompare(a.c) || b.i.localeCompare(a.i);

export const cursorOf = (key: OrderKey) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The key a cursor names; a cursor this server did not issue is refused at its field. */
export function keyOfCursor(cursor: string): OrderKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<OrderKey>;
    if ((key.u === 0 || key.u === 1) && typeof key.c === 'string' && typeof key.i === 'string') {
      return { u: key.u, c: key.c, i: key.i };
    }
  } catch {
    // Not JSON: refused below like any other cursor we did not issue.
  }
  throw invalid('This cursor was not issued by this list: start again without it', 'cursor');
}
