/**
 * The optimizer (issue 32): what a buy's delivery says about its packages against the campaign's
 * primary performance goal, and the budget shift it suggests. Pure: no clock, no database.
 *
 * - The primary goal is the one with the lowest `priority` (the first when none is set).
 * - An event goal is weighed by ROAS (conversion value / spend, higher is better) when its target
 *   is `per_ad_spend` or `maximize_value`, otherwise by CPA (spend / conversions, lower is
 *   better); a metric goal of clicks, views or completed_views by its cost per (lower is
 *   better). Other metrics have no delivery figure here: no suggestion.
 * - Packages are compared when placed, not canceled, and have spent at least `minSpend`.
 * - When the best package is at least `minGap` better than the worst, up to `maxShift` of the
 *   worst's budget moves to the best, never taking the worst below what it already spent. The
 *   buy's total stays the same.
 */
import { cents } from '../../sources/money.js';

type Json = Record<string, unknown>;

export type OptimizationMetric = 'cpa' | 'roas' | 'cpc' | 'cpv' | 'cpcv';

/** A package as the optimizer weighs it: its budget and what it delivered so far. */
export interface WeighedPackage {
  packageId: string;
  productId: string;
  productName: string;
  budget: number;
  canceled: boolean;
  spend: number;
  impressions: number;
  clicks: number;
  views: number;
  completedViews: number;
  conversions: number;
  conversionValue: number;
}

/** One package's budget change in a suggestion. */
export interface BudgetAdjustment {
  packageId: string;
  productId: string;
  productName: string;
  currentBudget: number;
  proposedBudget: number;
  spend: number;
  /** The package's figure on the suggestion's metric (null: none, e.g. no conversions yet). */
  metricValue: number | null;
}

export interface Proposal {
  metric: OptimizationMetric;
  adjustments: BudgetAdjustment[];
  rationale: string;
}

export interface AnalysisBounds {
  /** Least a package must have spent to be weighed. */
  minSpend: number;
  /** How much better the best must be than the worst (0.2: 20%). */
  minGap: number;
  /** Largest share of the worst package's budget moved at once. */
  maxShift: number;
}

export const defaultBounds: AnalysisBounds = { minSpend: 1, minGap: 0.2, maxShift: 0.25 };

/** The metric a campaign's goals are weighed by (their primary goal's), or none. */
export function metricOfGoals(goals: Json[]): OptimizationMetric | undefined {
  const ranked = goals
    .map((g, i) => ({ g, rank: typeof g['priority'] === 'number' ? g['priority'] : 1e6 + i }))
    .sort((a, b) => a.rank - b.rank);
  const primary = ranked[0]?.g;
  if (!primary) return undefined;
  if (primary['kind'] === 'event') {
    const target = (primary['target'] as Json | undefined)?.['kind'];
    return target === 'per_ad_spend' || target === 'maximize_value' ? 'roas' : 'cpa';
  }
  const metric = primary['metric'];
  if (metric === 'clicks') return 'cpc';
  if (metric === 'views') return 'cpv';
  if (metric === 'completed_views') return 'cpcv';
  return undefined;
}

const costBase: Record<Exclude<OptimizationMetric, 'roas'>, keyof WeighedPackage> = {
  cpa: 'conversions',
  cpc: 'clicks',
  cpv: 'views',
  cpcv: 'completedViews',
};

/** A package's figure on the metric: null when it has none to show (nothing counted yet). */
export function metricValueOf(metric: OptimizationMetric, p: WeighedPackage): number | null {
  if (metric === 'roas') return p.spend > 0 ? p.conversionValue / p.spend : null;
  const count = p[costBase[metric]] as number;
  return count > 0 ? p.spend / count : null;
}

/** How good a package is on the metric, higher is better (no count after spending: worst). */
function scoreOf(metric: OptimizationMetric, p: WeighedPackage): number {
  const value = metricValueOf(metric, p);
  if (metric === 'roas') return value ?? 0;
  return value === null ? 0 : 1 / value;
}

const metricWords: Record<OptimizationMetric, string> = {
  cpa: 'cost per acquisition',
  roas: 'return on ad spend',
  cpc: 'cost per click',
  cpv: 'cost per view',
  cpcv: 'cost per completed view',
};

function describe(metric: OptimizationMetric, p: WeighedPackage): string {
  const value = metricValueOf(metric, p);
  if (value === null) return `no ${costBase[metric as 'cpa'] ?? 'value'} for ${p.spend} spent`;
  return metric === 'roas'
    ? `ROAS ${value.toFixed(2)}`
    : `${metric.toUpperCase()} ${value.toFixed(2)}`;
}

/** The budget shift a buy's delivery suggests against its goals, or none. */
export function proposeShift(
  goals: Json[],
  packages: WeighedPackage[],
  bounds: AnalysisBounds = defaultBounds,
): Proposal | undefined {
  const metric = metricOfGoals(goals);
  if (!metric) return undefined;
  const weighed = packages
    .filter((p) => !p.canceled && p.spend >= bounds.minSpend)
    .map((p) => ({ p, score: scoreOf(metric, p) }))
    .sort((a, b) => b.score - a.score || a.p.packageId.localeCompare(b.p.packageId));
  if (weighed.length < 2) return undefined;
  const best = weighed[0]!;
  const worst = weighed[weighed.length - 1]!;
  if (best.score <= 0 || best.score < worst.score * (1 + bounds.minGap)) return undefined;
  const room = Math.max(0, worst.p.budget - worst.p.spend);
  const shift = cents(Math.min(worst.p.budget * bounds.maxShift, room));
  if (shift < 0.01) return undefined;
  const adjust = (p: WeighedPackage, delta: number): BudgetAdjustment => ({
    packageId: p.packageId,
    productId: p.productId,
    productName: p.productName,
    currentBudget: p.budget,
    proposedBudget: cents(p.budget + delta),
    spend: p.spend,
    metricValue: metricValueOf(metric, p),
  });
  return {
    metric,
    adjustments: [adjust(best.p, shift), adjust(worst.p, -shift)],
    rationale:
      `On ${metricWords[metric]}, ${best.p.productName} (${best.p.packageId}, ${describe(metric, best.p)}) ` +
      `does better than ${worst.p.productName} (${worst.p.packageId}, ${describe(metric, worst.p)}): ` +
      `move ${shift.toFixed(2)} of budget from the second to the first; the buy's total is unchanged.`,
  };
}

/** Hosted pacingRecommendation: spend so far against an even pace over the flight. */
export interface PacingRecommendation {
  status: 'on_pace' | 'under_spending' | 'over_spending';
  errorRatio: number;
  currentDailyRate: number;
  recommendedDailySpend: number;
  message: string;
}

const day = 86_400_000;

/** How a buy's spend compares with an even pace at `now`; undefined before its flight starts. */
export function pacingOf(
  flight: { start: Date; end: Date },
  budget: number,
  spend: number,
  now: Date,
): PacingRecommendation | undefined {
  const total = flight.end.getTime() - flight.start.getTime();
  const elapsed = Math.min(total, now.getTime() - flight.start.getTime());
  if (total <= 0 || elapsed <= 0 || budget <= 0) return undefined;
  const expected = (budget * elapsed) / total;
  const errorRatio = Math.round(((spend - expected) / expected) * 1000) / 1000;
  const status =
    Math.abs(errorRatio) <= 0.1 ? 'on_pace' : errorRatio < 0 ? 'under_spending' : 'over_spending';
  const remainingDays = Math.max(1, (total - elapsed) / day);
  const recommended = cents(Math.max(0, budget - spend) / remainingDays);
  const current = cents(spend / Math.max(elapsed / day, 1 / 24));
  const words = {
    on_pace: 'on pace',
    under_spending: 'under-spending',
    over_spending: 'over-spending',
  };
  return {
    status,
    errorRatio,
    currentDailyRate: current,
    recommendedDailySpend: recommended,
    message: `Spent ${cents(spend)} of ${budget} against ${cents(expected)} expected by now (${words[status]}); ${recommended} a day spends the rest evenly.`,
  };
}
