import { describe, expect, it } from 'vitest';
import { buyTotals } from '../../src/agents/merchandising/buys/delivery/buy-totals.js';

/*
 * A buy held at several sources reports one viewability block when its parts measured under one
 * standard: measurable and viewable impressions add up, the rate is viewable over measurable, and
 * in-view seconds average by measurable impressions. Parts measured under MRC and GroupM do not
 * add up, so such a buy answers no block rather than a blend.
 */
const part = (measurable: number, viewable: number, seconds: number, standard = 'mrc') => ({
  spend: 100,
  impressions: measurable + 1000,
  viewability: {
    measurable_impressions: measurable,
    viewable_impressions: viewable,
    viewable_rate: viewable / measurable,
    viewed_seconds: seconds,
    standard,
  },
});

describe('viewability of a buy over several sources', () => {
  it('adds up under one standard, for 3.0 and 3.1 callers alike', () => {
    for (const v31 of [false, true]) {
      const totals = buyTotals(
        [part(60_000, 42_000, 4), part(40_000, 18_000, 2.5), { spend: 5, impressions: 900 }],
        v31,
      );
      expect(totals['viewability']).toEqual({
        measurable_impressions: 100_000,
        viewable_impressions: 60_000,
        viewable_rate: 0.6,
        viewed_seconds: 3.4,
        standard: 'mrc',
      });
    }
  });

  it('answers no block over parts measured under different standards, or none measured', () => {
    expect(
      buyTotals([part(60_000, 42_000, 4), part(40_000, 18_000, 2.5, 'groupm')], true),
    ).not.toHaveProperty('viewability');
    expect(buyTotals([{ spend: 5, impressions: 900 }], true)).not.toHaveProperty('viewability');
  });
});
