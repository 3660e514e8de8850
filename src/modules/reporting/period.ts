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
