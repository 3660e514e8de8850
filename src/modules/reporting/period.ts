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
 * The rollup's blocks (delivery_rollup, migration 0022): each month in thirds, days 1-10, 11-20
 * and 21 to its end. A block is named by its first day.
 */
const blockOf = (day: string) => {
  const d = Number(day.slice(8));
  return `${day.slice(0, 8)}${d <= 10 ? '01' : d <= 20 ? '11' : '21'}`;
};
const nextBlock = (start: string) =>
  start.endsWith('21')
    ? monthStart(start, 1)
    : `${start.slice(0, 8)}${start.endsWith('01') ? '11' : '21'}`;
const previousBlock = (start: string) =>
  start.endsWith('01')
    ? `${monthStart(start, -1).slice(0, 8)}21`
    : `${start.slice(0, 8)}${start.endsWith('21') ? '11' : '01'}`;

/**
 * A period cut where the rollup can answer: `blocks` (first days, inclusive; an undefined
 * bound is open) holds every block lying wholly inside the period, `days` the edges outside
 * them (at most two ranges of at most ten days). Without a whole block, `blocks` is undefined
 * and `days` is the period itself. The pieces never overlap and together are exactly the period.
 */
export function wholeBlocksOf(period: Period): {
  blocks?: { from?: string; to?: string };
  days: Period[];
} {
  const { startDay, endDay } = period;
  const from =
    startDay === undefined || blockOf(startDay) === startDay
      ? startDay
      : nextBlock(blockOf(startDay));
  // The last block ending on or before endDay: endDay's own when the next day starts a block.
  const to =
    endDay === undefined
      ? undefined
      : blockOf(plusDays(endDay, 1)) === plusDays(endDay, 1)
        ? blockOf(endDay)
        : previousBlock(blockOf(endDay));
  if (from !== undefined && to !== undefined && from > to) return { days: [period] };
  const days: Period[] = [];
  if (startDay !== undefined && from !== undefined && startDay < from)
    days.push({ startDay, endDay: plusDays(from, -1) });
  if (endDay !== undefined && to !== undefined) {
    const after = nextBlock(to);
    if (after <= endDay) days.push({ startDay: after, endDay });
  }
  return { blocks: { from, to }, days };
}
