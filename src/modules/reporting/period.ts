import { invalid } from '../../platform/errors.js';

/** An inclusive range of UTC days; open (undefined bounds) for the full campaign timeframe. */
export interface Period {
  startDay?: string;
  endDay?: string;
}

const DAY_MS = 86_400_000;
const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The report's days (hosted: startDate/endDate, else `days` ending today; days=0 is the full
 * campaign timeframe). Given one bound, `days` counts from it. A start after the end is refused.
 */
export function periodOf(
  query: { startDate?: string | undefined; endDate?: string | undefined; days: number },
  today: string,
): Period {
  const { startDate, endDate, days } = query;
  if (startDate && endDate) {
    if (startDate > endDate) throw invalid('startDate must not be after endDate', 'startDate');
    return { startDay: startDate, endDay: endDate };
  }
  if (days === 0) return { startDay: startDate, endDay: endDate };
  if (startDate) return { startDay: startDate, endDay: plusDays(startDate, days - 1) };
  const end = endDate ?? today;
  return { startDay: plusDays(end, -(days - 1)), endDay: end };
}

/** First day of the month `n` months after the month of `day` (YYYY-MM-DD, UTC). */
function monthStart(day: string, n = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * A period cut where the monthly rollup can answer: `months` (first days, inclusive; an
 * undefined bound is open) holds every calendar month lying wholly inside the period, `days`
 * the edges outside them (at most two ranges). Without a whole month, `months` is undefined and
 * `days` is the period itself. The pieces never overlap and together are exactly the period.
 */
export function wholeMonthsOf(period: Period): {
  months?: { from?: string; to?: string };
  days: Period[];
} {
  const { startDay, endDay } = period;
  const from =
    startDay === undefined || startDay.endsWith('-01') ? startDay : monthStart(startDay, 1);
  // The last month ending on or before endDay (its first day).
  const to =
    endDay === undefined
      ? undefined
      : plusDays(endDay, 1).endsWith('-01')
        ? monthStart(endDay)
        : monthStart(endDay, -1);
  if (from !== undefined && to !== undefined && from > to) return { days: [period] };
  const days: Period[] = [];
  if (startDay !== undefined && from !== undefined && startDay < from)
    days.push({ startDay, endDay: plusDays(from, -1) });
  if (endDay !== undefined && to !== undefined) {
    const after = monthStart(to, 1);
    if (after <= endDay) days.push({ startDay: after, endDay });
  }
  return { months: { from, to }, days };
}
