import type { ProposalAllocation } from '../../../../modules/proposals/index.js';
import { cents, impressionsFor } from '../../../../sources/money.js';
import type { Product } from '../../types.js';

/*
 * The plans a proposal offers (issue 47, item 4; issue 68, item 2): a brief's budget split over
 * the products shown, each at the price the buyer was shown, and never more impressions than a
 * product has. A share a product cannot take (its availability, read from its availability
 * forecast) goes to the plan's other products, then to the next products shown; what no product
 * can take is left out, and the plan says the budget is more than the inventory.
 */

/** At most this many products share a proposal's budget as ranked. */
const maxAllocations = 3;
/** A share a product cannot take may go to products beyond those, up to this many in all. */
const maxWithSpill = 6;

/** Whole percentages for `weights` that sum to exactly 100 (largest remainders get the rest). */
export function percentagesOf(weights: number[]): number[] {
  return largestRemainders(weights, 100);
}

/** `units` shared by `weights`, whole units, summing to exactly `units`. */
function largestRemainders(weights: number[], units: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const raw = weights.map((w) => (w / total) * units);
  const whole = raw.map(Math.floor);
  let left = units - whole.reduce((sum, p) => sum + p, 0);
  const byRemainder = raw
    .map((r, i) => ({ i, rest: r - Math.floor(r) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    whole[i]! += 1;
    left -= 1;
  }
  return whole;
}

/** `amount` split by whole percentages, in cents; the last share takes the rounding, so they sum to it. */
export function splitBudget(amount: number, percentages: number[]): number[] {
  const shares = percentages.map((p) => cents((amount * p) / 100));
  const others = shares.slice(0, -1).reduce((sum, s) => sum + s, 0);
  if (shares.length > 0) shares[shares.length - 1] = cents(amount - others);
  return shares;
}

export interface Candidate {
  product: Product;
  pricingOptionId: string;
  cpm: number;
  minSpend: number;
  /** The impressions it has (its availability forecast); null when it does not say. */
  available: number | null;
}

/**
 * The impressions a product says it has: the least of its availability forecast's points (AdCP
 * `forecast_range_unit: "availability"`; `low`, else `mid`). Null when it says none.
 */
export function availableImpressionsOf(product: Product): number | null {
  const forecast = product.forecast;
  if (forecast?.forecast_range_unit !== 'availability') return null;
  const counts = forecast.points.flatMap((point) => {
    const impressions = point.metrics.impressions;
    const count = impressions?.low ?? impressions?.mid;
    return typeof count === 'number' && count >= 0 ? [Math.floor(count)] : [];
  });
  return counts.length > 0 ? Math.min(...counts) : null;
}

/** A product's fixed CPM option in `currency` (a proposal cannot bid for the buyer); none: left out. */
export function candidateOf(product: Product, currency: string): Candidate | undefined {
  for (const option of product.pricing_options) {
    if (option.pricing_model !== 'cpm' || option.currency !== currency) continue;
    const price = 'fixed_price' in option ? option.fixed_price : undefined;
    if (typeof price !== 'number' || !(price > 0)) continue;
    const minSpend = option.min_spend_per_package ?? 0;
    const available = availableImpressionsOf(product);
    return { product, pricingOptionId: option.pricing_option_id, cpm: price, minSpend, available };
  }
  return undefined;
}

/**
 * The most a candidate can take, in cents: what its available impressions cost at its CPM (the
 * budget's impressions, rounded down, never more than it has); unbounded when it does not say.
 */
export function capacityOf(c: Pick<Candidate, 'cpm' | 'available'>): number {
  if (c.available === null) return Infinity;
  let cap = Math.floor((c.available * c.cpm) / 10) / 100;
  while (cap > 0 && impressionsFor(cap, c.cpm) > c.available) cap = cents(cap - 0.01);
  return cap;
}

/** Whether a candidate can take a share at all (some capacity, at least its minimum spend). */
const usable = (c: Candidate) => capacityOf(c) >= Math.max(c.minSpend, 0.01);

/** Rank-weighted: the first gets most (3:2:1). */
const byRank = (n: number) => Array.from({ length: n }, (_, i) => n - i);
/** Even shares. */
const evenly = (n: number) => Array.from({ length: n }, () => 1);

/** Shares of a plan before they are written as allocations. */
interface Share {
  c: Candidate;
  budget: number;
}

/**
 * The first candidates sharing `budget` by `weights`, each share at least its product's minimum
 * spend (a product whose share is below it is dropped and the rest share again).
 */
function shared(ordered: Candidate[], budget: number, weights: (n: number) => number[]) {
  let chosen = ordered.slice(0, maxAllocations);
  while (chosen.length > 0) {
    const percentages = percentagesOf(weights(chosen.length));
    const budgets = splitBudget(budget, percentages);
    const short = chosen.findIndex((c, i) => budgets[i]! < c.minSpend);
    if (short >= 0) {
      chosen = chosen.filter((_, i) => i !== short);
      continue;
    }
    return { shares: chosen.map((c, i) => ({ c, budget: budgets[i]! })), percentages };
  }
  return { shares: [], percentages: [] };
}

/**
 * The shares capped at what each product can take: a share over its product's capacity keeps
 * that capacity, and the rest goes to the plan's other products with room (in order), then to
 * the next candidates (each at least its minimum spend). Answers whether anything moved and the
 * amount no product could take.
 */
function capped(shares: Share[], ordered: Candidate[]): { moved: boolean; left: number } {
  let left = 0;
  for (const share of shares) {
    const cap = capacityOf(share.c);
    if (share.budget > cap) {
      left = cents(left + share.budget - cap);
      share.budget = cap;
    }
  }
  if (left === 0) return { moved: false, left };
  for (const share of shares) {
    const room = cents(capacityOf(share.c) - share.budget);
    const taken = Math.min(room, left);
    share.budget = cents(share.budget + taken);
    left = cents(left - taken);
  }
  for (const c of ordered) {
    if (left <= 0 || shares.length >= maxWithSpill) break;
    if (shares.some((s) => s.c === c)) continue;
    const taken = Math.min(capacityOf(c), left);
    if (taken < Math.max(c.minSpend, 0.01)) continue;
    shares.push({ c, budget: cents(taken) });
    left = cents(left - taken);
  }
  return { moved: true, left };
}

/** Percentages of `budgets` to two decimals, summing to exactly 100. */
function percentagesOfBudgets(budgets: number[]): number[] {
  return largestRemainders(budgets, 10_000).map((p) => p / 100);
}

/** A plan's allocations, the budget they spend, and the part of the brief's budget left out. */
export interface Allocated {
  allocations: ProposalAllocation[];
  budget: number;
  /** What no product shown could take (the budget is more than the inventory); 0 when none. */
  left: number;
}

/** The allocations of `budget` over the first candidates, shared by `weights`; none when no product can take a share. */
function allocate(
  candidates: Candidate[],
  budget: number,
  weights: (n: number) => number[],
): Allocated {
  const ordered = candidates.filter(usable);
  const { shares, percentages } = shared(ordered, budget, weights);
  const { moved, left } = capped(shares, ordered);
  const spent = cents(budget - left);
  const shown = moved ? percentagesOfBudgets(shares.map((s) => s.budget)) : percentages;
  return {
    allocations: shares.map((s, i) => ({
      productId: s.c.product.product_id,
      pricingOptionId: s.c.pricingOptionId,
      allocationPercentage: shown[i]!,
      cpm: s.c.cpm,
      budget: s.budget,
      impressions: impressionsFor(s.budget, s.c.cpm),
      ...(s.c.available !== null && { available: s.c.available }),
    })),
    budget: shares.length > 0 ? spent : 0,
    left: shares.length > 0 ? left : budget,
  };
}

/** One way to spend the brief's budget: its allocations and how it is named to the buyer. */
export interface Plan extends Allocated {
  name: string;
  description: string;
  /** Why the allocation at this position is there. */
  rationale: (position: number, of: number) => string;
}

/**
 * The plans a brief's budget gets: the best-ranked products first (rank-weighted), and an
 * alternative a buyer can weigh against it: the most impressions for the budget (the lowest
 * CPMs shown, the cheapest taking most), or, when that is the same plan, the ranked products
 * evenly (the budget spread, no product leading). No alternative that is the same plan.
 */
export function plansOf(candidates: Candidate[], budget: number, currency: string): Plan[] {
  const amountOf = (plan: Allocated) =>
    `${currency} ${plan.budget.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  const ranked = allocate(candidates, budget, byRank);
  if (ranked.allocations.length === 0) return [];
  const first: Plan = {
    ...ranked,
    name: `${amountOf(ranked)} over ${ranked.allocations.length} products`,
    description:
      'The budget split over the products that best match the brief, the best-ranked taking the largest share, at the prices shown.',
    rationale: (i, n) => `Ranked ${i} of ${n} for this brief`,
  };
  const byCpm = [...candidates].sort((a, b) => a.cpm - b.cpm);
  const cheapest = allocate(byCpm, budget, byRank);
  if (cheapest.allocations.length > 0 && !samePlan(cheapest, ranked)) {
    return [
      first,
      {
        ...cheapest,
        name: `${amountOf(cheapest)} for the most impressions, over ${cheapest.allocations.length} products`,
        description:
          'The budget split over the lowest-CPM products that match the brief, the cheapest taking the largest share: more impressions for the budget than the best-ranked split, at the prices shown.',
        rationale: (i, n) => `${i} of ${n} by CPM, lowest first`,
      },
    ];
  }
  const even = allocate(candidates, budget, evenly);
  if (even.allocations.length === 0 || samePlan(even, ranked)) return [first];
  return [
    first,
    {
      ...even,
      name: `${amountOf(even)} evenly over ${even.allocations.length} products`,
      description:
        'The budget split evenly over the products that best match the brief: no product leading, at the prices shown.',
      rationale: (i, n) => `Ranked ${i} of ${n} for this brief, an even share`,
    },
  ];
}

const samePlan = (a: Allocated, b: Allocated) =>
  a.allocations.length === b.allocations.length &&
  a.allocations.every(
    (x, i) =>
      x.productId === b.allocations[i]!.productId &&
      x.allocationPercentage === b.allocations[i]!.allocationPercentage,
  );

/**
 * The most the plan's allocations can take in all, keeping their shares: the budget at which
 * the first of them reaches its product's available impressions. Undefined when none says.
 */
export function maxBudgetOf(allocations: ProposalAllocation[], budget: number): number | undefined {
  const limits = allocations.flatMap((a) =>
    a.available === undefined || !(a.budget > 0)
      ? []
      : [(capacityOf({ cpm: a.cpm, available: a.available }) * budget) / a.budget],
  );
  return limits.length > 0 ? Math.floor(Math.min(...limits) * 100) / 100 : undefined;
}
