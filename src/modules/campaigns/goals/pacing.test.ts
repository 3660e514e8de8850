import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../platform/errors.js';
import {
  appendPeriods,
  checkedPeriods,
  dailyCapProblem,
  slicesOf,
  splitExactly,
} from './pacing.js';
import type { PacingPeriod } from '../tables.js';

const flight = {
  start: new Date('2027-03-01T00:00:00Z'),
  end: new Date('2027-04-01T00:00:00Z'),
};
const weighted = {
  mode: 'weight' as const,
  periods: [
    { label: 'Launch', start: '2027-03-01', end: '2027-03-10', weight: 1 },
    { label: 'Heavy-up', start: '2027-03-11', end: '2027-03-20', weight: 2 },
    { label: 'Tail', start: '2027-03-21', end: '2027-03-31', weight: 1 },
  ],
};

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.field;
    throw error;
  }
  return undefined;
}

describe('splitting a budget across pacing periods', () => {
  it('rounds to cents and sums exactly, whatever the proportions', () => {
    expect(splitExactly(100, [1, 1, 1])).toEqual([33.34, 33.33, 33.33]);
    expect(splitExactly(16_000, [1, 2, 1])).toEqual([4000, 8000, 4000]);
    for (const [total, weights] of [
      [999.99, [1, 2.5, 0.3, 7]],
      [0.05, [1, 1, 1, 1, 1, 1, 1]],
      [12_345.67, [3, 0, 3]],
    ] as const) {
      const parts = splitExactly(total, [...weights]);
      expect(Math.round(parts.reduce((s, p) => s + p, 0) * 100)).toBe(Math.round(total * 100));
      expect(parts.every((p) => Math.round(p * 100) === p * 100)).toBe(true);
    }
    expect(splitExactly(10, [0, 2, 0])).toEqual([0, 10, 0]);
  });

  it('cuts a product into one slice per period with spend, with the period’s flight', () => {
    const slices = slicesOf(
      {
        ...weighted,
        periods: [...weighted.periods.slice(0, 2), { ...weighted.periods[2]!, weight: 0 }],
      },
      1000,
      flight,
    );
    expect(slices).toEqual([
      expect.objectContaining({ index: 1, label: 'Launch', budget: 333.33 }),
      expect.objectContaining({ index: 2, label: 'Heavy-up', budget: 666.67 }),
    ]);
    expect(slices[1]!.startTime.toISOString()).toBe('2027-03-11T00:00:00.000Z');
    expect(slices[1]!.endTime.toISOString()).toBe('2027-03-21T00:00:00.000Z');
  });
});

describe('checking a schedule', () => {
  it('names the field of each problem', () => {
    const check = (periods: PacingPeriod[], mode: 'weight' | 'budget' = 'weight', total = 1000) =>
      fieldOf(() => checkedPeriods({ mode, periods }, flight, total));
    expect(check([{ label: 'A', start: '2027-03-01', end: '2027-03-05' }])).toBe(
      'pacingPeriods.periods.0.weight',
    );
    expect(check([{ label: 'A', start: '2027-02-20', end: '2027-03-05', weight: 1 }])).toBe(
      'pacingPeriods.periods.0.start',
    );
    expect(check([{ label: 'A', start: '2027-03-05', end: '2027-04-01', weight: 1 }])).toBe(
      'pacingPeriods.periods.0.end',
    );
    expect(check([{ label: 'A', start: '2027-03-05', end: '2027-03-01', weight: 1 }])).toBe(
      'pacingPeriods.periods.0.end',
    );
    expect(
      check([
        { label: 'A', start: '2027-03-01', end: '2027-03-10', weight: 1 },
        { label: 'B', start: '2027-03-10', end: '2027-03-12', weight: 1 },
      ]),
    ).toBe('pacingPeriods');
    expect(check([{ label: 'A', start: '2027-03-01', end: '2027-03-10', weight: 0 }])).toBe(
      'pacingPeriods',
    );
    expect(
      check([{ label: 'A', start: '2027-03-01', end: '2027-03-10', budget: 1200 }], 'budget'),
    ).toBe('pacingPeriods');
    expect(check(weighted.periods)).toBeUndefined();
  });

  it('appends in the same mode and says what moved', () => {
    const first = checkedPeriods(
      { ...weighted, periods: weighted.periods.slice(0, 2) },
      flight,
      900,
    );
    const { schedule, cascade } = appendPeriods(
      first,
      { mode: 'weight', periods: [weighted.periods[2]!] },
      flight,
      900,
    );
    expect(schedule.periods.map((p) => p.label)).toEqual(['Launch', 'Heavy-up', 'Tail']);
    expect(cascade.periods).toEqual([
      expect.objectContaining({
        label: 'Launch',
        previousBudget: 300,
        budget: 225,
        change: 'moved',
      }),
      expect.objectContaining({
        label: 'Heavy-up',
        previousBudget: 600,
        budget: 450,
        change: 'moved',
      }),
      expect.objectContaining({
        label: 'Tail',
        previousBudget: null,
        budget: 225,
        change: 'added',
      }),
    ]);
    expect(
      fieldOf(() =>
        appendPeriods(
          first,
          { mode: 'budget', periods: [{ ...weighted.periods[2]!, budget: 1 }] },
          flight,
          900,
        ),
      ),
    ).toBe('pacingPeriods.mode');
  });

  it('refuses a daily cap the budget cannot be spent under', () => {
    expect(dailyCapProblem(100, 3100, flight, null)).toBeUndefined();
    expect(dailyCapProblem(100, 3200, flight, null)).toContain('31 day(s)');
    // Only the periods' days spend: 10 + 10 days here.
    const twoPeriods = { ...weighted, periods: weighted.periods.slice(0, 2) };
    expect(dailyCapProblem(100, 2100, flight, twoPeriods)).toContain('20 day(s)');
  });
});
