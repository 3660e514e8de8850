import type { LeftOutRecord } from './left-out.js';
import { cents } from '../../../sources/money.js';
import { asksOf, isAskRun, type RunAsks } from './asks.js';
import type { Posture } from '../../postures/index.js';
import {
  confirmedBudgetOf,
  type MediaBuyReadRow,
  productIdsOf,
  sellerStatusOf,
} from '../../order-views/index.js';

/** A discovery run as this module reads it (discovery_runs, read-only, plus its posture row). */
export interface RunRecord {
  id: number;
  storefrontId: number;
  createdAt: Date;
  buyerCustomerId: number | null;
  operatorDomain: string | null;
  brandDomain: string | null;
  country: string | null;
  buyingMode: string | null;
  brief: string | null;
  refine: unknown[] | null;
  productIds: string[];
  sourceOutcomes: { sourceId: string; ok: boolean; productCount: number; errorCode?: string }[];
  discountPercent: number | null;
  durationMs: number;
  selectedPosture: Posture | null;
  recommendedPosture: Posture | null;
  postureRationale: string | null;
  postureEvidence: string[];
  /** What the run left out and why (runs/left-out.ts); null or absent: not recorded. */
  leftOut?: LeftOutRecord | null;
}

export type MerchandisingEventName =
  | 'media_buy_submitted_for_approval'
  | 'media_buy_forwarded'
  | 'media_buy_forward_failed'
  | 'media_buy_rejected'
  | 'delivery_reported';

/** An outcome event (merchandising_events, read-only). */
export interface EventRecord {
  id: number;
  createdAt: Date;
  buyerCustomerId: number;
  mediaBuyId: string | null;
  event: MerchandisingEventName;
  detail: Record<string, unknown>;
}

/** What analytics needs of a media buy (storefront_media_buys, read-only). */
export interface MediaBuyFacts {
  mediaBuyId: string;
  productIds: string[];
  /** As its sources last confirmed it (order-views' confirmedBudgetOf); null when none was booked. */
  budget: number | null;
  status: string;
}

/** A buy's facts, from the storefront's media-buy read (modules/order-views). */
export function mediaBuyFactsOf(row: MediaBuyReadRow): MediaBuyFacts {
  return {
    mediaBuyId: row.buy.mediaBuyId,
    productIds: productIdsOf(row.buy.submittedPayload),
    budget: confirmedBudgetOf(row.buy),
    status: sellerStatusOf(row.buy, row.delivered),
  };
}

export type ResultKind = 'ok' | 'error' | 'skipped';

/**
 * ok: composition ran (products may be zero: nothing fit). skipped: no source was asked.
 * error: every source asked failed. Only ok runs count in rates (hosted: "runs where no
 * composition ran are excluded from the denominators").
 */
export function resultOf(run: Pick<RunRecord, 'sourceOutcomes' | 'productIds'>): {
  kind: ResultKind;
  code: string | null;
} {
  if (run.sourceOutcomes.length === 0 && run.productIds.length === 0) {
    return { kind: 'skipped', code: 'no_sources' };
  }
  if (run.productIds.length === 0 && run.sourceOutcomes.every((o) => !o.ok)) {
    return { kind: 'error', code: run.sourceOutcomes.find((o) => o.errorCode)?.errorCode ?? null };
  }
  return { kind: 'ok', code: null };
}

/** Booking events: the buy was forwarded upstream or reported delivery (hosted: `booked`). */
export const bookingEvents: ReadonlySet<MerchandisingEventName> = new Set([
  'media_buy_forwarded',
  'delivery_reported',
]);

/**
 * Where a forwarded buy ended without being booked: a source declined it (a person refused
 * the booking its task held), or its forward failed. Its forwarded event does not make it a
 * booked buy; a decline counts as rejected (media_buy_rejected).
 */
const unbookedStatuses: ReadonlySet<string> = new Set(['rejected', 'forward_failed']);
const isBooked = (buy: MediaBuyFacts) => buy.budget !== null && !unbookedStatuses.has(buy.status);

export interface DeliveryPart {
  impressions: number;
  spend: number;
  currency: string | null;
}

/** The outcome of a set of attributed events: counts, booked buys and delivery, once per buy. */
export interface OutcomeTally {
  eventCount: number;
  submittedCount: number;
  forwardedCount: number;
  forwardFailedCount: number;
  rejectedCount: number;
  deliveryReportedCount: number;
  latest: EventRecord | null;
  /** Booked media buy id → its budget (booked buys without a budget are left out). */
  booked: Map<string, number>;
  /** Media buy id → its latest attributed delivery report (reports are cumulative). */
  delivered: Map<string, { at: EventRecord; part: DeliveryPart }>;
}

export const emptyTally = (): OutcomeTally => ({
  eventCount: 0,
  submittedCount: 0,
  forwardedCount: 0,
  forwardFailedCount: 0,
  rejectedCount: 0,
  deliveryReportedCount: 0,
  latest: null,
  booked: new Map(),
  delivered: new Map(),
});

const counters: Record<MerchandisingEventName, keyof OutcomeTally> = {
  media_buy_submitted_for_approval: 'submittedCount',
  media_buy_forwarded: 'forwardedCount',
  media_buy_forward_failed: 'forwardFailedCount',
  media_buy_rejected: 'rejectedCount',
  delivery_reported: 'deliveryReportedCount',
};

const later = (a: EventRecord, b: EventRecord) =>
  a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id;

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function deliveryPartOf(event: EventRecord): DeliveryPart {
  const currency = event.detail['currency'];
  return {
    impressions: Math.max(0, Math.round(num(event.detail['impressions']))),
    spend: Math.max(0, num(event.detail['spend'])),
    currency: typeof currency === 'string' && currency.length > 0 ? currency : null,
  };
}

/** Adds one attributed event to a tally. */
export function tallyEvent(
  tally: OutcomeTally,
  event: EventRecord,
  buys: ReadonlyMap<string, MediaBuyFacts>,
): void {
  tally.eventCount += 1;
  (tally[counters[event.event]] as number) += 1;
  if (!tally.latest || later(event, tally.latest) > 0) tally.latest = event;
  const buy = event.mediaBuyId ? buys.get(event.mediaBuyId) : undefined;
  if (!buy) return;
  if (bookingEvents.has(event.event) && isBooked(buy)) {
    tally.booked.set(buy.mediaBuyId, buy.budget!);
  }
  if (event.event === 'delivery_reported') {
    const seen = tally.delivered.get(buy.mediaBuyId);
    if (!seen || later(event, seen.at) > 0) {
      tally.delivered.set(buy.mediaBuyId, { at: event, part: deliveryPartOf(event) });
    }
  }
}

/** Adds a rollup row (events already attributed in SQL to one run and one buy) to a tally. */
export function tallyRollup(
  tally: OutcomeTally,
  row: {
    runId: number;
    mediaBuyId: string;
    submittedCount: number;
    forwardedCount: number;
    forwardFailedCount: number;
    rejectedCount: number;
    deliveryReportedCount: number;
    latestEvent: string;
    latestAt: Date;
    latestEventId: number;
    deliveryAt: Date | null;
    deliveryEventId: number | null;
    deliveryDetail: Record<string, unknown> | null;
  },
  buys: ReadonlyMap<string, MediaBuyFacts>,
): void {
  tally.submittedCount += row.submittedCount;
  tally.forwardedCount += row.forwardedCount;
  tally.forwardFailedCount += row.forwardFailedCount;
  tally.rejectedCount += row.rejectedCount;
  tally.deliveryReportedCount += row.deliveryReportedCount;
  tally.eventCount +=
    row.submittedCount +
    row.forwardedCount +
    row.forwardFailedCount +
    row.rejectedCount +
    row.deliveryReportedCount;
  const latest: EventRecord = {
    id: row.latestEventId,
    createdAt: row.latestAt,
    buyerCustomerId: 0,
    mediaBuyId: row.mediaBuyId,
    event: row.latestEvent as MerchandisingEventName,
    detail: {},
  };
  if (!tally.latest || later(latest, tally.latest) > 0) tally.latest = latest;
  const buy = buys.get(row.mediaBuyId);
  if (!buy) return;
  if (row.forwardedCount + row.deliveryReportedCount > 0 && isBooked(buy)) {
    tally.booked.set(buy.mediaBuyId, buy.budget!);
  }
  if (row.deliveryAt && row.deliveryEventId !== null) {
    const at: EventRecord = {
      ...latest,
      id: row.deliveryEventId,
      createdAt: row.deliveryAt,
      event: 'delivery_reported',
      detail: row.deliveryDetail ?? {},
    };
    const seen = tally.delivered.get(buy.mediaBuyId);
    if (!seen || later(at, seen.at) > 0) {
      tally.delivered.set(buy.mediaBuyId, { at, part: deliveryPartOf(at) });
    }
  }
}

/** Merges tallies: counts add, each media buy's budget and delivery counted once. */
export function mergeTallies(tallies: Iterable<OutcomeTally>): OutcomeTally {
  const merged = emptyTally();
  for (const t of tallies) {
    for (const key of Object.values(counters)) (merged[key] as number) += t[key] as number;
    merged.eventCount += t.eventCount;
    if (t.latest && (!merged.latest || later(t.latest, merged.latest) > 0))
      merged.latest = t.latest;
    for (const [id, budget] of t.booked) merged.booked.set(id, budget);
    for (const [id, d] of t.delivered) {
      const seen = merged.delivered.get(id);
      if (!seen || later(d.at, seen.at) > 0) merged.delivered.set(id, d);
    }
  }
  return merged;
}

export const round4 = (n: number) => Math.round(n * 10000) / 10000;
export const rate = (part: number, whole: number) => (whole === 0 ? null : round4(part / whole));

export const sumBudgets = (booked: ReadonlyMap<string, number>) =>
  cents([...booked.values()].reduce((sum, b) => sum + b, 0));

/** Delivered totals; the currency is null when none is known or several are (seed 003). */
export function deliveredOf(tally: OutcomeTally) {
  let impressions = 0;
  let spend = 0;
  const currencies = new Set<string>();
  for (const { part } of tally.delivered.values()) {
    impressions += part.impressions;
    spend += part.spend;
    if (part.currency) currencies.add(part.currency);
  }
  return {
    deliveredImpressions: impressions,
    deliveredSpend: cents(spend),
    deliveredCurrency: currencies.size === 1 ? [...currencies][0]! : null,
  };
}

/** One run with everything derived from it: result, asks, and its attributed outcome. */
export interface RunFacts {
  run: RunRecord;
  result: { kind: ResultKind; code: string | null };
  asks: RunAsks;
  askRun: boolean;
  tally: OutcomeTally;
  booked: boolean;
}

export function runFactsOf(run: RunRecord, tally: OutcomeTally): RunFacts {
  const asks = asksOf(run.refine);
  return {
    run,
    result: resultOf(run),
    asks,
    askRun: isAskRun(asks),
    tally,
    booked: tally.booked.size > 0,
  };
}

/** Buyer identity as the seed groups it: operator, brand and country as recorded. */
export const buyerKeyOf = (run: Pick<RunRecord, 'operatorDomain' | 'brandDomain' | 'country'>) =>
  `${run.operatorDomain ?? '-'}|${run.brandDomain ?? '-'}|${run.country ?? '-'}`;
