import { round4 } from '../../platform/pricing.js';
import type { Posture } from './vocabulary.js';

/**
 * The posture decision table (docs/seller-analytics.md): the first row whose condition holds
 * over a set of runs gives the directional negotiation posture. Thresholds are shares of the
 * runs considered; rates compare with the same set's win rate.
 */
export interface PostureSignals {
  runCount: number;
  bookedRunCount: number;
  priceObjectionRunCount: number;
  priceObjectionBookedRunCount: number;
  packagingAskRunCount: number;
  wholesaleRunCount: number;
}

/** Fewer runs than this say nothing: no posture (the window, a month). Buyers use 3. */
export const minRunsForPosture = 5;
export const minRunsForBuyerPosture = 3;
export const wholesaleShareThreshold = 0.5;
export const priceObjectionShareThreshold = 0.3;
export const packagingAskShareThreshold = 0.3;
export const strongWinRate = 0.4;

export type PostureRule =
  | 'insufficient_history'
  | 'wholesale_demand'
  | 'price_objections_unconverted'
  | 'price_objections_converting'
  | 'packaging_asks'
  | 'strong_win_rate'
  | 'fit_first';

export interface PostureDecision {
  posture: Posture | null;
  rule: PostureRule;
  rationale: string;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * The win rate of a set of runs: the share that booked, to four decimals (0 for none). The one
 * formula for it: analytics show it, coaching and the posture table decide on it, so they never
 * disagree at a threshold.
 */
export const winRate = (bookedRuns: number, runs: number) =>
  runs === 0 ? 0 : round4(bookedRuns / runs);

/** Applies the decision table; `minRuns` is 5 for the window and months, 3 for one buyer. */
export function decidePosture(s: PostureSignals, minRuns = minRunsForPosture): PostureDecision {
  if (s.runCount < minRuns) {
    return {
      posture: null,
      rule: 'insufficient_history',
      rationale: `Fewer than ${minRuns} runs: not enough history for a posture.`,
    };
  }
  const rate = winRate(s.bookedRunCount, s.runCount);
  if (share(s.wholesaleRunCount, s.runCount) >= wholesaleShareThreshold) {
    return {
      posture: 'wholesale_mirror',
      rule: 'wholesale_demand',
      rationale: 'Most runs ask for the raw catalog: mirror wholesale terms.',
    };
  }
  if (share(s.priceObjectionRunCount, s.runCount) >= priceObjectionShareThreshold) {
    const objectionWinRate = winRate(s.priceObjectionBookedRunCount, s.priceObjectionRunCount);
    return objectionWinRate <= rate / 2
      ? {
          posture: 'price_first',
          rule: 'price_objections_unconverted',
          rationale: 'Price objections are frequent and rarely book: lead with price.',
        }
      : {
          posture: 'value_preserving_compromise',
          rule: 'price_objections_converting',
          rationale: 'Price objections are frequent but still book: concede on terms, not on rate.',
        };
  }
  if (share(s.packagingAskRunCount, s.runCount) >= packagingAskShareThreshold) {
    return {
      posture: 'tradeoff_ladder',
      rule: 'packaging_asks',
      rationale: 'Buyers often ask for packaging: offer a ladder of scope-for-price options.',
    };
  }
  if (rate >= strongWinRate) {
    return {
      posture: 'hold_value',
      rule: 'strong_win_rate',
      rationale: 'Runs book often without price pressure: hold the rate card.',
    };
  }
  return {
    posture: 'direct_fit',
    rule: 'fit_first',
    rationale: 'No dominant pressure: show the few products that fit the brief best.',
  };
}
