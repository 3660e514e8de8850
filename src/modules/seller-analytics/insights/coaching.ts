import {
  decidePosture,
  minRunsForPosture,
  packagingAskShareThreshold,
  priceObjectionShareThreshold,
  strongWinRate,
  wholesaleShareThreshold,
} from '../../postures/index.js';
import type { buyersOf, historicalPerformanceOf, outcomesOf } from './rollups.js';
import { signalsOf } from './rollups.js';
import type { RunFacts } from '../runs/facts.js';
import type { Posture } from '../../postures/index.js';

type Priority = 'high' | 'medium' | 'low';
type Evidence = { label: string; value: string }[];
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 100)}%`);
const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export interface StrategySignal {
  id: string;
  priority: Priority;
  label: string;
  detail: string;
  posture: Posture;
  evidence: Evidence;
}

/**
 * strategySignals[]: one per condition of the posture table that holds over the window (not
 * only the first), plus low_win_rate and tighten_selection. Ids are the rule names, stable.
 */
export function strategySignalsOf(
  runs: readonly RunFacts[],
  perf: ReturnType<typeof historicalPerformanceOf>,
): StrategySignal[] {
  const s = signalsOf(runs);
  const runsEvidence = { label: 'Runs', value: String(s.runCount) };
  if (s.runCount < minRunsForPosture) {
    return [
      {
        id: 'limited_history',
        priority: 'low',
        label: 'Limited history',
        detail: `Only ${s.runCount} runs in the window; postures need ${minRunsForPosture}.`,
        posture: 'direct_fit',
        evidence: [runsEvidence],
      },
    ];
  }
  const signals: StrategySignal[] = [];
  if (share(s.wholesaleRunCount, s.runCount) >= wholesaleShareThreshold) {
    signals.push({
      id: 'wholesale_demand',
      priority: 'medium',
      label: 'Wholesale demand',
      detail: 'Most runs ask for the raw catalog rather than a curated answer.',
      posture: 'wholesale_mirror',
      evidence: [runsEvidence, { label: 'Wholesale runs', value: String(s.wholesaleRunCount) }],
    });
  }
  if (share(s.priceObjectionRunCount, s.runCount) >= priceObjectionShareThreshold) {
    const decision = decidePosture({ ...s, wholesaleRunCount: 0 });
    signals.push({
      id: 'price_objections',
      priority: 'high',
      label: 'Frequent price objections',
      detail: decision.rationale,
      posture: decision.posture ?? 'price_first',
      evidence: [
        { label: 'Price-objection runs', value: String(s.priceObjectionRunCount) },
        { label: 'Objection win rate', value: pct(perf.priceObjectionConversionRate) },
        { label: 'Win rate', value: pct(perf.winRate) },
      ],
    });
  }
  if (share(s.packagingAskRunCount, s.runCount) >= packagingAskShareThreshold) {
    signals.push({
      id: 'packaging_asks',
      priority: 'medium',
      label: 'Packaging asks',
      detail: 'Buyers often ask to bundle or combine products.',
      posture: 'tradeoff_ladder',
      evidence: [
        { label: 'Packaging-ask runs', value: String(s.packagingAskRunCount) },
        { label: 'Packaging-ask win rate', value: pct(perf.packagingAskConversionRate) },
      ],
    });
  }
  if (perf.winRate >= strongWinRate) {
    signals.push({
      id: 'strong_win_rate',
      priority: 'low',
      label: 'Strong win rate',
      detail: 'Runs book often: protect the rate card.',
      posture: 'hold_value',
      evidence: [runsEvidence, { label: 'Win rate', value: pct(perf.winRate) }],
    });
  } else if (perf.winRate < 0.1) {
    signals.push({
      id: 'low_win_rate',
      priority: 'high',
      label: 'Low win rate',
      detail: 'Fewer than one run in ten books: lead with the closest fit.',
      posture: 'direct_fit',
      evidence: [runsEvidence, { label: 'Win rate', value: pct(perf.winRate) }],
    });
  }
  if (tightenSelection(perf)) {
    signals.push({
      id: 'tighten_selection',
      priority: 'medium',
      label: 'Fewer products book better',
      detail: 'Booked runs showed fewer products than unbooked ones.',
      posture: 'direct_fit',
      evidence: [
        { label: 'Products per booked run', value: String(perf.averageProductsPerBookedRun) },
        { label: 'Products per unbooked run', value: String(perf.averageProductsPerUnbookedRun) },
      ],
    });
  }
  return signals;
}

const tightenSelection = (perf: ReturnType<typeof historicalPerformanceOf>) =>
  perf.averageProductsPerBookedRun !== null &&
  perf.averageProductsPerUnbookedRun !== null &&
  perf.averageProductsPerBookedRun < perf.averageProductsPerUnbookedRun;

type BuyerRow = ReturnType<typeof buyersOf>[number];
const buyerRef = (b: BuyerRow) => ({
  operatorDomain: b.operatorDomain,
  brandDomain: b.brandDomain,
  country: b.country,
});
const buyerId = (b: BuyerRow) =>
  `${b.operatorDomain ?? '-'}|${b.brandDomain ?? '-'}|${b.country ?? '-'}`;
const buyerName = (b: BuyerRow) => b.brandDomain ?? b.operatorDomain ?? 'an unidentified buyer';

export interface SellerRecommendation {
  id: string;
  priority: Priority;
  kind:
    | 'protect_expand'
    | 'prioritize_follow_up'
    | 'packaging_friction'
    | 'price_resistance'
    | 'tighten_selection'
    | 'learned_auto_approve';
  title: string;
  detail: string;
  action: string;
  buyer: ReturnType<typeof buyerRef> | null;
  evidence: Evidence;
}

/**
 * sellerRecommendations[]: deterministic coaching. Global ids are the kind; buyer ids are
 * `kind:operator|brand|country`. Order: priority, then id.
 */
export function sellerRecommendationsOf(
  perf: ReturnType<typeof historicalPerformanceOf>,
  outcomes: ReturnType<typeof outcomesOf>,
  buyers: BuyerRow[],
  runs: readonly RunFacts[],
): SellerRecommendation[] {
  const recs: SellerRecommendation[] = [];
  const s = signalsOf(runs);
  for (const b of buyers.filter((b) => b.bookedRunCount >= 2).slice(0, 3)) {
    recs.push({
      id: `protect_expand:${buyerId(b)}`,
      priority: 'high',
      kind: 'protect_expand',
      title: `Protect and expand ${buyerName(b)}`,
      detail: `${b.bookedRunCount} of ${b.runCount} runs booked.`,
      action: 'Offer this buyer first look at new inventory at the current rate.',
      buyer: buyerRef(b),
      evidence: [
        { label: 'Booked runs', value: String(b.bookedRunCount) },
        { label: 'Booked budget', value: String(b.bookedBudget) },
      ],
    });
  }
  const followUps = buyers
    .filter((b) => b.askRunCount >= 1 && b.bookedRunCount === 0 && b.runCount >= 2)
    .sort((a, b) => b.askRunCount - a.askRunCount)
    .slice(0, 3);
  for (const b of followUps) {
    recs.push({
      id: `prioritize_follow_up:${buyerId(b)}`,
      priority: 'medium',
      kind: 'prioritize_follow_up',
      title: `Follow up with ${buyerName(b)}`,
      detail: `${b.askRunCount} runs with asks and no booking yet.`,
      action: 'Reach out with an answer to their asks before they buy elsewhere.',
      buyer: buyerRef(b),
      evidence: [
        { label: 'Runs', value: String(b.runCount) },
        { label: 'Ask runs', value: String(b.askRunCount) },
      ],
    });
  }
  if (s.priceObjectionRunCount >= 2 && (perf.priceObjectionConversionRate ?? 0) < perf.winRate) {
    recs.push({
      id: 'price_resistance',
      priority: 'high',
      kind: 'price_resistance',
      title: 'Price resistance',
      detail: 'Runs with price objections book less often than the rest.',
      action: 'Review floor prices or offer a lower-priced entry product.',
      buyer: null,
      evidence: [
        { label: 'Price-objection runs', value: String(s.priceObjectionRunCount) },
        { label: 'Objection win rate', value: pct(perf.priceObjectionConversionRate) },
        { label: 'Win rate', value: pct(perf.winRate) },
      ],
    });
  }
  if (s.packagingAskRunCount >= 2 && (perf.packagingAskConversionRate ?? 0) < perf.winRate) {
    recs.push({
      id: 'packaging_friction',
      priority: 'medium',
      kind: 'packaging_friction',
      title: 'Packaging friction',
      detail: 'Runs asking for bundles book less often than the rest.',
      action: 'Add packaged products (product rules) for the combinations buyers ask for.',
      buyer: null,
      evidence: [
        { label: 'Packaging-ask runs', value: String(s.packagingAskRunCount) },
        { label: 'Packaging-ask win rate', value: pct(perf.packagingAskConversionRate) },
      ],
    });
  }
  if (perf.runCount >= minRunsForPosture && tightenSelection(perf)) {
    recs.push({
      id: 'tighten_selection',
      priority: 'medium',
      kind: 'tighten_selection',
      title: 'Show fewer products',
      detail: 'Booked runs showed fewer products than unbooked ones.',
      action: 'Lower the number of products the agent proposes per brief.',
      buyer: null,
      evidence: [
        { label: 'Products per booked run', value: String(perf.averageProductsPerBookedRun) },
        { label: 'Products per unbooked run', value: String(perf.averageProductsPerUnbookedRun) },
      ],
    });
  }
  if (outcomes.submittedCount >= 5 && outcomes.rejectedCount === 0) {
    recs.push({
      id: 'learned_auto_approve',
      priority: 'low',
      kind: 'learned_auto_approve',
      title: 'Consider automatic approval',
      detail: `${outcomes.submittedCount} media buys submitted for approval, none rejected.`,
      action: 'Switch media-buy approval to auto to book faster.',
      buyer: null,
      evidence: [
        { label: 'Submitted', value: String(outcomes.submittedCount) },
        { label: 'Rejected', value: '0' },
      ],
    });
  }
  const rank = { high: 0, medium: 1, low: 2 };
  return recs.sort((a, b) => rank[a.priority] - rank[b.priority] || a.id.localeCompare(b.id));
}
