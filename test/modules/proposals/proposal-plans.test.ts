import { describe, expect, it } from 'vitest';
import {
  plansOf,
  type Candidate,
} from '../../../src/agents/merchandising/products/proposals/plans.js';
import type { Product } from '../../../src/agents/merchandising/types.js';

/**
 * The plans a brief's budget gets (products/proposals/answers.ts): the ranked split, and an alternative
 * only when it is a different plan: the most impressions when the cheapest are not already
 * first, else the ranked products evenly.
 */
const candidate = (
  id: string,
  cpm: number,
  minSpend = 0,
  available: number | null = null,
): Candidate => ({
  // cast: only product_id is read when planning.
  product: { product_id: id } as Product,
  pricingOptionId: 'cpm',
  cpm,
  minSpend,
  available,
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

  it('caps a share at the impressions its product has and gives the rest to the others', () => {
    const [ranked] = plansOf(
      [candidate('pre', 30, 0, 250_000), candidate('mid', 25, 0, 1_000_000)],
      20_000,
      'USD',
    );
    const byId = new Map(ranked!.allocations.map((a) => [a.productId, a]));
    expect(byId.get('pre')).toMatchObject({ budget: 7_500, impressions: 250_000 });
    expect(byId.get('mid')).toMatchObject({ budget: 12_500, impressions: 500_000 });
    expect(ranked!.budget).toBe(20_000);
    expect(ranked!.left).toBe(0);
    const shares = ranked!.allocations.reduce((sum, a) => sum + a.allocationPercentage, 0);
    expect(shares).toBeCloseTo(100, 9);
  });

  it('spills to products past the first three, and says what no product can take', () => {
    const [ranked] = plansOf(
      [
        candidate('a', 10, 0, 100_000),
        candidate('b', 10, 0, 100_000),
        candidate('c', 10, 0, 100_000),
        candidate('d', 10, 0, 50_000),
      ],
      10_000,
      'USD',
    );
    expect(ranked!.allocations.map((a) => a.productId)).toEqual(['a', 'b', 'c', 'd']);
    for (const a of ranked!.allocations) expect(a.impressions).toBeLessThanOrEqual(100_000);
    // 350,000 impressions at CPM 10 is 3,500 of the 10,000.
    expect(ranked!.budget).toBe(3_500);
    expect(ranked!.left).toBe(6_500);
  });

  it('leaves out a product with no impressions left', () => {
    const plans = plansOf([candidate('gone', 5, 0, 0), candidate('b', 20, 0, null)], 1_000, 'USD');
    for (const plan of plans) {
      expect(plan.allocations.map((a) => a.productId)).toEqual(['b']);
    }
  });
});
