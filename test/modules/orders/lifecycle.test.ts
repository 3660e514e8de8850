import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandPackaged,
  flightProblem,
  type Package,
  routePackages,
} from '../../../src/modules/orders/index.js';

const pkg = (productId: string, budget = 100, pricingOptionId = 'po-a'): Package =>
  ({ product_id: productId, budget, pricing_option_id: pricingOptionId }) as Package;

describe('media-buy lifecycle rules', () => {
  it('refuses a flight that ends before it starts, or before now for asap', () => {
    expect(flightProblem('2026-12-01T00:00:00Z', '2026-11-30T00:00:00Z')).toMatch(/end_time/);
    expect(flightProblem('2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')).toMatch(/end_time/);
    expect(
      flightProblem('asap', '2026-01-01T00:00:00Z', Date.parse('2026-06-01T00:00:00Z')),
    ).toMatch(/end_time/);
    expect(flightProblem('2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z')).toBeUndefined();
  });

  it('routes packages to the source each product id names and lists the rest as missing', () => {
    const locate = (id: string) =>
      id.startsWith('a__') ? { sourceId: 'a', upstreamProductId: id.slice(3) } : undefined;
    const { bySource, missing } = routePackages([pkg('a__p1'), pkg('b__p2'), pkg('a__p3')], locate);
    expect([...bySource.entries()]).toEqual([['a', [pkg('p1'), pkg('p3')]]]);
    expect(missing).toEqual(['b__p2']);
  });

  it('splits a packaged product into its components, budget to the cent', () => {
    const shown = {
      bundle: [
        { productId: 'a__x', pricingOptionIds: ['x1', 'x2'] },
        { productId: 'b__y', pricingOptionIds: ['y1', 'y2'] },
        { productId: 'c__z', pricingOptionIds: ['z1'] },
      ],
    } as unknown as Parameters<typeof expandPackaged>[1];
    expect(expandPackaged([pkg('plain')], shown)).toBeUndefined();
    const split = expandPackaged([pkg('bundle', 100, 'x2'), pkg('plain', 5)], shown)!;
    expect(split.map((p) => [p.product_id, p.pricing_option_id, p.budget])).toEqual([
      ['a__x', 'x2', 33.34],
      ['b__y', 'y2', 33.33],
      ['c__z', 'z1', 33.33],
      ['plain', 'po-a', 5],
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 7 }),
        (c, n) => {
          const components = Array.from({ length: n }, (_, i) => ({
            productId: `s__${i}`,
            pricingOptionIds: ['po'],
          }));
          const parts = expandPackaged([pkg('bundle', c / 100)], {
            bundle: components,
          } as unknown as Parameters<typeof expandPackaged>[1])!;
          const total = parts.reduce((sum, p) => sum + Math.round(p.budget * 100), 0);
          return total === c && parts.every((p) => p.budget >= 0);
        },
      ),
    );
  });
});
