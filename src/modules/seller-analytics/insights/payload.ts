import type { Posture } from '../../postures/index.js';
import { attributeEvents } from '../runs/attribution.js';
import type { RollupRow } from './rollup-store.js';
import { sellerRecommendationsOf, strategySignalsOf } from './coaching.js';
import {
  buyersOf,
  historicalPerformanceOf,
  learnedDefaultOf,
  outcomesOf,
  postureConversionOf,
  seasonalityOf,
} from './rollups.js';
import {
  deliveredOf,
  emptyTally,
  runFactsOf,
  sumBudgets,
  tallyEvent,
  tallyRollup,
  type EventRecord,
  type MediaBuyFacts,
  type OutcomeTally,
  type RunFacts,
  type RunRecord,
} from '../runs/facts.js';

export const analyticsNotes = [
  'Outcome totals use last-touch product-overlap attribution and are directional: each outcome ' +
    'event counts for the latest earlier discovery run of the same buyer that showed one of the ' +
    "media buy's products.",
  'Seller recommendations are deterministic coaching derived from this window, not automated ' +
    'pricing or packaging changes. Use reporting endpoints for audited delivery.',
  'Refinement statuses (applied, partial, unable) and sell prices are not recorded per run yet: ' +
    'their counts are zero and prices null.',
];

/**
 * Attributes `events` to `runs` (last touch) and derives each run's facts. `competitors` are
 * extra runs that can take events from `runs` (later runs of the same buyers outside the set).
 */
export function runFactsWithOutcomes(
  runs: readonly RunRecord[],
  events: readonly EventRecord[],
  buys: ReadonlyMap<string, MediaBuyFacts>,
  competitors: readonly RunRecord[] = [],
  rollups: readonly RollupRow[] = [],
): RunFacts[] {
  const byId = new Map<number, RunRecord>();
  for (const run of [...competitors, ...runs]) byId.set(run.id, run);
  const attributed = attributeEvents(
    [...byId.values()],
    events.map((e) => ({
      id: e.id,
      createdAt: e.createdAt,
      buyerCustomerId: e.buyerCustomerId,
      productIds: (e.mediaBuyId && buys.get(e.mediaBuyId)?.productIds) || [],
    })),
  );
  const tallies = new Map<number, OutcomeTally>(runs.map((r) => [r.id, emptyTally()]));
  for (const event of events) {
    const runId = attributed.get(event.id);
    const tally = runId === undefined ? undefined : tallies.get(runId);
    if (tally) tallyEvent(tally, event, buys);
  }
  for (const row of rollups) {
    const tally = tallies.get(row.runId);
    if (tally) tallyRollup(tally, row, buys);
  }
  return runs.map((run) => runFactsOf(run, tallies.get(run.id)!));
}

/** runs[].outcome */
export function runOutcomeOf(facts: RunFacts, buys: ReadonlyMap<string, MediaBuyFacts>) {
  const { tally } = facts;
  const latest = tally.latest;
  return {
    eventCount: tally.eventCount,
    latestType: latest?.event ?? null,
    latestStatus: latest?.mediaBuyId ? (buys.get(latest.mediaBuyId)?.status ?? null) : null,
    mediaBuyId: latest?.mediaBuyId ?? null,
    submittedCount: tally.submittedCount,
    forwardedCount: tally.forwardedCount,
    forwardFailedCount: tally.forwardFailedCount,
    rejectedCount: tally.rejectedCount,
    deliveryReportedCount: tally.deliveryReportedCount,
    bookedMediaBuyCount: tally.booked.size,
    bookedBudget: tally.booked.size === 0 ? null : sumBudgets(tally.booked),
    ...deliveredOf(tally),
  };
}

export interface StorefrontRef {
  id: number;
  name: string;
  archived: boolean;
}

/** The whole seller-analytics payload for a window of runs, newest first. */
export function buildSellerAnalytics(input: {
  storefront: StorefrontRef;
  requestedRunLimit: number;
  runs: RunFacts[];
  buys: ReadonlyMap<string, MediaBuyFacts>;
  now: Date;
}) {
  const { runs, buys } = input;
  const generatedAt = input.now.toISOString();
  const eligible = runs.filter((r) => r.result.kind === 'ok');
  const times = runs.map((r) => r.run.createdAt.getTime());
  const perf = historicalPerformanceOf(eligible);
  const outcomes = outcomesOf(runs);
  const buyers = buyersOf(eligible);
  const postureConversion = postureConversionOf(eligible);
  const shownCount = new Map<string, number>();
  for (const r of runs) {
    for (const id of new Set(r.run.productIds)) shownCount.set(id, (shownCount.get(id) ?? 0) + 1);
  }
  const sum = (pick: (r: RunFacts) => number) => runs.reduce((s, r) => s + pick(r), 0);
  const totalShown = sum((r) => r.run.productIds.length);
  return {
    generatedAt,
    storefront: {
      id: String(input.storefront.id),
      name: input.storefront.name,
      state: input.storefront.archived ? ('archived' as const) : ('neutral' as const),
    },
    window: {
      requestedRunLimit: input.requestedRunLimit,
      runCount: runs.length,
      eligibleRunCount: eligible.length,
      legacyRunCount: 0,
      firstRunAt: runs.length ? new Date(Math.min(...times)).toISOString() : null,
      lastRunAt: runs.length ? new Date(Math.max(...times)).toISOString() : null,
    },
    summary: {
      totalRuns: runs.length,
      okRuns: eligible.length,
      skippedRuns: runs.filter((r) => r.result.kind === 'skipped').length,
      errorRuns: runs.filter((r) => r.result.kind === 'error').length,
      // Pre-v3 buyers send no buying_mode; AdCP says to treat that as brief.
      briefRuns: runs.filter((r) => (r.run.buyingMode ?? 'brief') === 'brief').length,
      refineRuns: runs.filter((r) => r.run.buyingMode === 'refine').length,
      wholesaleRuns: runs.filter((r) => r.run.buyingMode === 'wholesale').length,
      totalShownProducts: totalShown,
      averageShownProducts:
        runs.length === 0 ? 0 : Math.round((totalShown / runs.length) * 10000) / 10000,
      priceObjectionCount: runs.filter((r) => r.asks.hadPriceObjection).length,
      packagingAskCount: runs.filter((r) => r.asks.hadPackagingAsk).length,
      requestAskCount: sum((r) => r.asks.requestAskCount),
      productAskCount: sum((r) => r.asks.productAskCount),
      proposalAskCount: sum((r) => r.asks.proposalAskCount),
      appliedRefinements: 0,
      partialRefinements: 0,
      unableRefinements: 0,
    },
    outcomes,
    historicalPerformance: perf,
    seasonality: seasonalityOf(eligible),
    buyers,
    postureConversion,
    learnedDefault: learnedDefaultOf(postureConversion.byPosture, generatedAt),
    strategySignals: strategySignalsOf(eligible, perf),
    sellerRecommendations: sellerRecommendationsOf(perf, outcomes, buyers, eligible),
    runs: runs.map((r) => ({
      id: String(r.run.id),
      purpose: 'live' as const,
      createdAt: r.run.createdAt.toISOString(),
      buyingMode: r.run.buyingMode ?? 'brief',
      resultKind: r.result.kind,
      resultCode: r.result.code,
      selectedPosture: r.run.selectedPosture,
      recommendedPosture: r.run.recommendedPosture,
      postureRationale: r.run.postureRationale,
      postureEvidence: r.run.postureEvidence,
      attributionState:
        r.run.buyerCustomerId === null || r.run.productIds.length === 0
          ? ('unavailable' as const)
          : r.tally.eventCount > 0
            ? ('attributed' as const)
            : ('unattributed' as const),
      buyer: {
        operatorDomain: r.run.operatorDomain,
        brandDomain: r.run.brandDomain,
        country: r.run.country,
      },
      shownProductCount: r.run.productIds.length,
      minSellPrice: null,
      maxSellPrice: null,
      requestAskCount: r.asks.requestAskCount,
      productAskCount: r.asks.productAskCount,
      proposalAskCount: r.asks.proposalAskCount,
      hadPriceObjection: r.asks.hadPriceObjection,
      hadPackagingAsk: r.asks.hadPackagingAsk,
      refinementStatusCounts: { applied: 0, partial: 0, unable: 0 },
      outcome: runOutcomeOf(r, buys),
    })),
    topProducts: [...shownCount.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, 10)
      .map(([productId, count]) => ({ productId, name: null, impressions: count })),
    notes: analyticsNotes,
  };
}

/**
 * The payload with the seller's acceptances (issue 47, item 2): each strategy signal says whether
 * its posture is accepted (only then does it change get_products), and which postures are.
 */
export function withAcceptance(
  payload: ReturnType<typeof buildSellerAnalytics>,
  accepted: ReadonlySet<Posture>,
) {
  return {
    ...payload,
    strategySignals: payload.strategySignals.map((signal) => ({
      ...signal,
      accepted: accepted.has(signal.posture),
    })),
    acceptedPostures: [...accepted],
  };
}

export type SellerAnalytics = ReturnType<typeof withAcceptance>;
