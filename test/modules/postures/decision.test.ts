import { describe, expect, it } from 'vitest';
import { decidePosture, type PostureSignals } from '../../../src/modules/postures/index.js';

const base: PostureSignals = {
  runCount: 10,
  bookedRunCount: 2,
  priceObjectionRunCount: 0,
  priceObjectionBookedRunCount: 0,
  packagingAskRunCount: 0,
  wholesaleRunCount: 0,
};
const decide = (over: Partial<PostureSignals>, minRuns?: number) =>
  decidePosture({ ...base, ...over }, minRuns);

describe('posture decision table', () => {
  it('row 1: fewer than 5 runs give no posture (3 for a buyer)', () => {
    expect(decide({ runCount: 4, bookedRunCount: 4 })).toMatchObject({
      posture: null,
      rule: 'insufficient_history',
    });
    expect(decide({ runCount: 3, bookedRunCount: 3 }, 3).posture).toBe('hold_value');
  });

  it('row 2: half the runs or more wholesale → wholesale_mirror, before price pressure', () => {
    expect(decide({ wholesaleRunCount: 5, priceObjectionRunCount: 10 }).posture).toBe(
      'wholesale_mirror',
    );
    expect(decide({ wholesaleRunCount: 4 }).posture).not.toBe('wholesale_mirror');
  });

  it('row 3: frequent objections that book at most half the win rate → price_first', () => {
    // win rate 0.4; objection runs 3 (30 %), 0 booked → 0 ≤ 0.2
    expect(decide({ bookedRunCount: 4, priceObjectionRunCount: 3 }).posture).toBe('price_first');
    // nothing books at all: 0 ≤ 0 still leads with price
    expect(decide({ bookedRunCount: 0, priceObjectionRunCount: 3 }).posture).toBe('price_first');
  });

  it('row 4: frequent objections that still book → value_preserving_compromise', () => {
    // win rate 0.4; objection runs 3, 1 booked → 0.333 > 0.2
    expect(
      decide({ bookedRunCount: 4, priceObjectionRunCount: 3, priceObjectionBookedRunCount: 1 })
        .posture,
    ).toBe('value_preserving_compromise');
    // 29 % objections is below the threshold
    expect(decide({ runCount: 100, bookedRunCount: 10, priceObjectionRunCount: 29 }).posture).toBe(
      'direct_fit',
    );
  });

  it('row 5: 30 % packaging asks or more → tradeoff_ladder', () => {
    expect(decide({ packagingAskRunCount: 3, bookedRunCount: 9 }).posture).toBe('tradeoff_ladder');
  });

  it('row 6: win rate of 40 % or more without pressure → hold_value', () => {
    expect(decide({ bookedRunCount: 4 }).posture).toBe('hold_value');
    expect(decide({ bookedRunCount: 3 }).posture).toBe('direct_fit');
  });

  it('row 7: otherwise → direct_fit', () => {
    expect(decide({})).toMatchObject({ posture: 'direct_fit', rule: 'fit_first' });
  });
});
