import { describe, expect, it } from 'vitest';
import {
  plansOf,
  type Candidate,
} from '../../../src/agents/merchandising/products/proposals/answers.js';
import type { Product } from '../../../src/agents/merchandising/types.js';

/**
 * The plans a brief's budget gets (products/proposals/answers.ts): the ranked split, and an alternative
 * only when it is a different plan: the most impressions when the cheapest are not already
 * first, else the ranked products evenly.
 */
const candidate = (id: string, cpm: number, minSpend = 0): Candidate => ({
  // cast: only product_id is read when planning.
  product: { product_id: id } as Product,
  pricingOptionId: 'cpm',
  cpm,
  minSpend,
});
const shape = (plans: ReturnType<typeof plansOf>) =>
  plans.map((p) => p.allocations.map((a) => [a.productId, a.allocationPercentage]));
const impressions = (plan: ReturnType<typeof plansOf>[number]) =>
  plan.allocations.reduce((sum, a) => sum + a.impressions, 0);

describe('proposal plans', () => {
  it('offers the cheapest-first split when the best-ranked are dearer, with more impressions', () => {
    const plans = plansOf(
      [candidate('a', 20), candidate('b', 10), candidate('c', 25)],
      30_000,
      'USD',
    );
    expect(shape(plans)).toEqual([
      [
        ['a', 50],
        ['b', 33],
        ['c', 17],
      ],
      [
        ['b', 50],
        ['a', 33],
        ['c', 17],
      ],
    ]);
    expect(impressions(plans[1]!)).toBeGreaterThan(impressions(plans[0]!));
  });

  it('offers an even spread when the ranking is already cheapest first', () => {
    const plans = plansOf([candidate('a', 10), candidate('b', 20)], 10_000, 'USD');
    expect(shape(plans)).toEqual([
      [
        ['a', 67],
        ['b', 33],
      ],
      [
        ['a', 50],
        ['b', 50],
      ],
    ]);
    expect(plans[1]!.name).toContain('evenly');
  });

  it('offers no alternative that is the same plan', () => {
    expect(shape(plansOf([candidate('a', 10)], 10_000, 'USD'))).toEqual([[['a', 100]]]);
    // A minimum spend no even share meets leaves the one product the ranked split gives.
    const plans = plansOf([candidate('a', 10), candidate('b', 20, 9_000)], 10_000, 'USD');
    expect(plans).toHaveLength(1);
    expect(plansOf([], 10_000, 'USD')).toEqual([]);
  });
});
