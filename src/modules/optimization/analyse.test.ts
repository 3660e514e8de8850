import { describe, expect, it } from 'vitest';
import { metricOfGoals, pacingOf, proposeShift, type WeighedPackage } from './analyse.js';

const pkg = (id: string, figures: Partial<WeighedPackage>): WeighedPackage => ({
  packageId: id,
  productId: `prod-${id}`,
  productName: `Product ${id}`,
  budget: 10_000,
  canceled: false,
  spend: 0,
  impressions: 0,
  clicks: 0,
  views: 0,
  completedViews: 0,
  conversions: 0,
  conversionValue: 0,
  ...figures,
});

const cpaGoal = { kind: 'event', eventSources: [{}], target: { kind: 'cost_per', value: 20 } };
const roasGoal = { kind: 'event', eventSources: [{}], target: { kind: 'per_ad_spend', value: 3 } };

describe('the optimizer', () => {
  it('weighs by the goal with the lowest priority', () => {
    expect(metricOfGoals([cpaGoal])).toBe('cpa');
    expect(
      metricOfGoals([
        { ...cpaGoal, priority: 2 },
        { ...roasGoal, priority: 1 },
      ]),
    ).toBe('roas');
    expect(metricOfGoals([{ kind: 'metric', metric: 'clicks' }])).toBe('cpc');
    expect(metricOfGoals([{ kind: 'metric', metric: 'reach' }])).toBeUndefined();
  });

  it('moves a quarter of the worse package’s budget to the better one, the total unchanged', () => {
    const proposal = proposeShift(
      [cpaGoal],
      [pkg('b', { spend: 1000, conversions: 20 }), pkg('a', { spend: 1000, conversions: 100 })],
    );
    expect(proposal?.metric).toBe('cpa');
    expect(proposal?.adjustments.map((a) => [a.packageId, a.proposedBudget])).toEqual([
      ['a', 12_500],
      ['b', 7_500],
    ]);
  });

  it('on ROAS, the package returning more per unit spent gets the budget', () => {
    const proposal = proposeShift(
      [roasGoal],
      [
        pkg('a', { spend: 500, conversionValue: 500 }),
        pkg('b', { spend: 500, conversionValue: 2500 }),
      ],
    );
    expect(proposal?.adjustments.map((a) => [a.packageId, a.proposedBudget])).toEqual([
      ['b', 12_500],
      ['a', 7_500],
    ]);
  });

  it('never takes a package below what it already spent', () => {
    const proposal = proposeShift(
      [cpaGoal],
      [pkg('a', { spend: 1000, conversions: 100 }), pkg('b', { spend: 9000, conversions: 10 })],
    );
    expect(proposal?.adjustments.find((a) => a.packageId === 'b')?.proposedBudget).toBe(9000);
  });

  it('suggests nothing within the gap, with one package weighed, or for canceled ones', () => {
    const close = [
      pkg('a', { spend: 1000, conversions: 100 }),
      pkg('b', { spend: 1000, conversions: 90 }),
    ];
    expect(proposeShift([cpaGoal], close)).toBeUndefined();
    expect(
      proposeShift([cpaGoal], [pkg('a', { spend: 1000, conversions: 100 }), pkg('b', {})]),
    ).toBeUndefined();
    expect(
      proposeShift(
        [cpaGoal],
        [
          pkg('a', { spend: 1000, conversions: 100 }),
          pkg('b', { spend: 1000, conversions: 1, canceled: true }),
        ],
      ),
    ).toBeUndefined();
  });

  it('paces spend against an even spread of the flight', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const end = new Date('2026-01-11T00:00:00Z');
    const pacing = pacingOf({ start, end }, 10_000, 2_000, new Date('2026-01-06T00:00:00Z'));
    expect(pacing).toMatchObject({
      status: 'under_spending',
      errorRatio: -0.6,
      currentDailyRate: 400,
      recommendedDailySpend: 1600,
    });
    expect(pacingOf({ start, end }, 10_000, 0, new Date('2025-12-31T00:00:00Z'))).toBeUndefined();
  });
});
