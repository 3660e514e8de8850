import { invalid } from '../../platform/errors.js';

const HOUR_MS = 3_600_000;
/** The longest window one summary reads: a quarter, so one call never scans years of events. */
export const MAX_SUMMARY_DAYS = 93;

function hourOf(value: string, field: string): Date {
  const at = new Date(value);
  if (at.getTime() % HOUR_MS !== 0)
    throw invalid(`${field} must be a whole UTC hour, such as 2026-03-15T14:00:00Z`, field);
  return at;
}

/**
 * The summary's [start, end) window. Without bounds: the last completed UTC hour (hosted
 * default); with only startHour: until the last completed hour; with only endHour: the hour
 * before it.
 */
export function summaryWindowOf(
  query: { startHour?: string | undefined; endHour?: string | undefined },
  now: Date,
): { start: Date; end: Date } {
  const lastFullHourEnd = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const end = query.endHour ? hourOf(query.endHour, 'endHour') : lastFullHourEnd;
  const start = query.startHour
    ? hourOf(query.startHour, 'startHour')
    : new Date(end.getTime() - HOUR_MS);
  if (start >= end) throw invalid('startHour must be before endHour', 'startHour');
  if (end.getTime() - start.getTime() > MAX_SUMMARY_DAYS * 24 * HOUR_MS)
    throw invalid(`The window may span at most ${MAX_SUMMARY_DAYS} days`, 'startHour');
  return { start, end };
}
