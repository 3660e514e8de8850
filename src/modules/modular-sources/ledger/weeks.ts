const day = 86_400_000;
const week = 7 * day;

/** The Monday 00:00 UTC of the week `at` falls in. */
export function weekStartOf(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * day);
}

/**
 * Splits an avail's figures over the weeks (Monday to Sunday, UTC) of its window in proportion to
 * the time the window spends in each: an avail's capacity is for its whole window, so a week's
 * share is what that week would sell at an even pace. Each week's figure is the difference of
 * the rounded running totals, so the weeks add up to the avail's figures exactly.
 */
export function byWeek<K extends string>(
  start: Date,
  end: Date,
  totals: Record<K, number>,
): Array<{ weekStart: string } & Record<K, number>> {
  const span = end.getTime() - start.getTime();
  const keys = Object.keys(totals) as K[];
  if (span <= 0) {
    return [{ weekStart: weekStartOf(start).toISOString().slice(0, 10), ...totals }];
  }
  const weeks: Array<{ weekStart: string } & Record<K, number>> = [];
  let covered = 0;
  for (let from = weekStartOf(start).getTime(); from < end.getTime(); from += week) {
    const inWeek = Math.min(end.getTime(), from + week) - Math.max(start.getTime(), from);
    const before = covered / span;
    covered += inWeek;
    const after = covered / span;
    const row = { weekStart: new Date(from).toISOString().slice(0, 10) } as {
      weekStart: string;
    } & Record<K, number>;
    for (const k of keys) {
      (row as Record<K, number>)[k] =
        Math.round(totals[k] * after) - Math.round(totals[k] * before);
    }
    weeks.push(row);
  }
  return weeks;
}
