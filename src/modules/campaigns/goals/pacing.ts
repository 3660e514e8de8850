import { z } from 'zod';
import { invalid } from '../../../platform/errors.js';
import type { PacingPeriod, PacingPeriods } from '../tables.js';
import { cents } from '../../../sources/money.js';

/**
 * Pacing periods (issue 32, item 1; hosted PacingPeriods): a campaign's flight cut into periods
 * of whole UTC days, each with a relative weight or an explicit budget. Gaps between periods
 * are pauses. On execution each product becomes one package per period that has spend, with
 * its share of the product's budget, rounded to cents so the packages sum exactly to it.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const pacingPeriodsInput = z.object({
  mode: z.enum(['weight', 'budget']),
  periods: z
    .array(
      z.object({
        label: z.string().trim().min(1).max(100),
        start: day,
        end: day,
        weight: z.number().min(0).max(10).optional(),
        budget: z.number().min(0).max(1e12).optional(),
      }),
    )
    .min(1)
    .max(52),
});
export type PacingPeriodsInput = z.output<typeof pacingPeriodsInput>;

export const maxPeriods = 52;
const dayMs = 86_400_000;
const startOf = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** The instant a period ends: the end of its last (inclusive) day. */
const endOf = (d: string) => startOf(d) + dayMs;

/** The amount of a period (its weight or budget, by mode); zero skips it. */
const amountOf = (mode: PacingPeriods['mode'], p: PacingPeriod) =>
  (mode === 'weight' ? p.weight : p.budget) ?? 0;

/**
 * Checks a schedule against the campaign: each period names its mode's amount, starts before it
 * ends, lies within the flight, overlaps no other, and one has spend; in budget mode the periods
 * sum to at most the budget. Answers the periods in date order. Errors name the field.
 */
export function checkedPeriods(
  schedule: PacingPeriods,
  flight: { start: Date; end: Date },
  budgetTotal: number,
  field = 'pacingPeriods',
): PacingPeriods {
  const { mode } = schedule;
  schedule.periods.forEach((p, i) => {
    const at = `${field}.periods.${i}`;
    if (Number.isNaN(startOf(p.start))) throw invalid('must be a valid date', `${at}.start`);
    if (Number.isNaN(startOf(p.end))) throw invalid('must be a valid date', `${at}.end`);
    if (mode === 'weight' && p.weight === undefined) {
      throw invalid('is required in weight mode', `${at}.weight`);
    }
    if (mode === 'budget' && p.budget === undefined) {
      throw invalid('is required in budget mode', `${at}.budget`);
    }
    if (startOf(p.end) < startOf(p.start)) throw invalid('must not be before start', `${at}.end`);
    if (startOf(p.start) < startOf(flight.start.toISOString().slice(0, 10))) {
      throw invalid('must be within the campaign flight', `${at}.start`);
    }
    if (startOf(p.end) >= flight.end.getTime()) {
      throw invalid('must be within the campaign flight', `${at}.end`);
    }
  });
  const periods = [...schedule.periods].sort((a, b) => startOf(a.start) - startOf(b.start));
  for (let i = 1; i < periods.length; i++) {
    const prev = periods[i - 1] as PacingPeriod;
    const next = periods[i] as PacingPeriod;
    if (startOf(next.start) < endOf(prev.end)) {
      throw invalid(`Periods "${prev.label}" and "${next.label}" overlap`, field);
    }
  }
  if (!periods.some((p) => amountOf(mode, p) > 0)) {
    throw invalid('At least one period must have a weight or budget above 0', field);
  }
  if (mode === 'budget') {
    const sum = periods.reduce((s, p) => s + (p.budget ?? 0), 0);
    if (sum > budgetTotal + 1e-9) {
      throw invalid(
        `The periods' budgets (${sum}) exceed the campaign budget (${budgetTotal})`,
        field,
      );
    }
  }
  return {
    mode,
    periods: periods.map((p) => ({
      label: p.label,
      start: p.start,
      end: p.end,
      ...(mode === 'weight' ? { weight: p.weight ?? 0 } : { budget: p.budget ?? 0 }),
    })),
  };
}

/**
 * Splits `total` in proportion to `weights`, in cents, so the parts sum exactly to it (largest
 * remainder: the cents lost to rounding go to the parts that lost most, earliest first).
 */
export function splitExactly(total: number, weights: number[]): number[] {
  const cents = Math.round(total * 100);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (cents * w) / sum);
  const floors = exact.map(Math.floor);
  let left = cents - floors.reduce((s, f) => s + f, 0);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors.map((f) => f / 100);
}

/** The schedule with each period's resolved budget (hosted: weights kept beside it). */
export function resolvedPeriods(schedule: PacingPeriods, budgetTotal: number) {
  const budgets =
    schedule.mode === 'weight'
      ? splitExactly(
          budgetTotal,
          schedule.periods.map((p) => p.weight ?? 0),
        )
      : schedule.periods.map((p) => p.budget ?? 0);
  return {
    mode: schedule.mode,
    periods: schedule.periods.map((p, i) => ({ ...p, budget: budgets[i] ?? 0 })),
  };
}

/** One package's slice of a product: which period, its flight, and its budget. */
export interface PeriodSlice {
  index: number;
  label: string;
  startTime: Date;
  endTime: Date;
  budget: number;
}

/**
 * A product's budget cut by the schedule: one slice per period with spend, in the periods'
 * proportions (weights, or budgets), summing exactly to `productBudget`. Index is one-based
 * over all the campaign's periods (hosted PackagePacingPeriod.index).
 */
export function slicesOf(
  schedule: PacingPeriods,
  productBudget: number,
  flight: { start: Date; end: Date },
): PeriodSlice[] {
  const amounts = schedule.periods.map((p) => amountOf(schedule.mode, p));
  const budgets = splitExactly(productBudget, amounts);
  return schedule.periods.flatMap((p, i) =>
    (amounts[i] ?? 0) > 0
      ? [
          {
            index: i + 1,
            label: p.label,
            startTime: new Date(Math.max(startOf(p.start), flight.start.getTime())),
            endTime: new Date(Math.min(endOf(p.end), flight.end.getTime())),
            budget: budgets[i] ?? 0,
          },
        ]
      : [],
  );
}

/**
 * Hosted updateCampaign `pacingPeriods` on a campaign that has some: the new periods are
 * appended (same mode only), and the answer says what moved: each period's resolved budget
 * before and after (in weight mode every period's share changes).
 */
export function appendPeriods(
  current: PacingPeriods,
  added: PacingPeriods,
  flight: { start: Date; end: Date },
  budgetTotal: number,
) {
  if (added.mode !== current.mode) {
    throw invalid(
      `The campaign's periods are in ${current.mode} mode: append periods in that mode, or send null first to remove them`,
      'pacingPeriods.mode',
    );
  }
  if (current.periods.length + added.periods.length > maxPeriods) {
    throw invalid(`A campaign has at most ${maxPeriods} pacing periods`, 'pacingPeriods.periods');
  }
  const next = checkedPeriods(
    { mode: current.mode, periods: [...current.periods, ...added.periods] },
    flight,
    budgetTotal,
  );
  const before = resolvedPeriods(current, budgetTotal).periods;
  const after = resolvedPeriods(next, budgetTotal).periods;
  const key = (p: PacingPeriod) => `${p.start}/${p.end}/${p.label}`;
  const was = new Map(before.map((p) => [key(p), p.budget]));
  return {
    schedule: next,
    cascade: {
      appendedPeriods: added.periods.length,
      totalPeriods: next.periods.length,
      periods: after.map((p) => {
        const previous = was.get(key(p));
        return {
          label: p.label,
          start: p.start,
          end: p.end,
          budget: p.budget,
          previousBudget: previous ?? null,
          change:
            previous === undefined
              ? ('added' as const)
              : previous === p.budget
                ? ('unchanged' as const)
                : ('moved' as const),
        };
      }),
      unallocatedBudget: cents(budgetTotal - after.reduce((s, p) => s + p.budget, 0)),
    },
  };
}

/**
 * A daily cap the budget can be spent under: the cap times the days that spend (the periods'
 * days with spend, else the flight's) must reach the budget. Answers the error message, if any.
 */
export function dailyCapProblem(
  dailyCap: number | null,
  budgetTotal: number,
  flight: { start: Date; end: Date },
  schedule: PacingPeriods | null,
): string | undefined {
  if (dailyCap === null) return undefined;
  const days = schedule
    ? schedule.periods
        .filter((p) => amountOf(schedule.mode, p) > 0)
        .reduce((sum, p) => sum + (endOf(p.end) - startOf(p.start)) / dayMs, 0)
    : Math.ceil((flight.end.getTime() - flight.start.getTime()) / dayMs);
  if (dailyCap * days + 1e-9 >= budgetTotal) return undefined;
  return `A daily cap of ${dailyCap} over ${days} day(s) of spend cannot reach the budget of ${budgetTotal}: raise the cap or lower the budget`;
}
