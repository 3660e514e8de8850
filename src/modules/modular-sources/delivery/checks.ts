import { cents } from '../../../platform/pricing.js';
import type { BuyRow } from '../buys/store.js';
import type { ReportRow, RowIssue } from './rows.js';

const dayMs = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The UTC days a buy's delivery may be dated: its flight with a day's grace either side (a
 * publisher's day boundaries need not be UTC's), and never after today on the storefront's clock.
 * The flight's last day is the day of its last instant (an end at midnight belongs to the day
 * before).
 */
export function dayBounds(buy: Pick<BuyRow, 'startTime' | 'endTime'>, now: Date) {
  return {
    from: dayOf(buy.startTime.getTime() - dayMs),
    to: dayOf(buy.endTime.getTime() - 1 + dayMs),
    today: dayOf(now.getTime()),
  };
}

/** A row's date outside the flight (with grace) or after today, as an issue naming it. */
export function dayIssue(
  row: ReportRow,
  bounds: ReturnType<typeof dayBounds>,
  prefix: string,
): RowIssue | undefined {
  const field = `${prefix}rows[${row.index}].date`;
  const n = row.index + 1;
  if (row.day < bounds.from || row.day > bounds.to) {
    return {
      field,
      message: `Report row ${n}: ${row.day} is outside the flight (${bounds.from} to ${bounds.to}, a day's grace either side)`,
      requested: row.day,
      allowed: { from: bounds.from, to: bounds.to },
    };
  }
  if (row.day > bounds.today) {
    return {
      field,
      message: `Report row ${n}: ${row.day} is in the future (today is ${bounds.today}, UTC)`,
      requested: row.day,
      allowed: { to: bounds.today },
    };
  }
  return undefined;
}

/** What a package already has on record for one day. */
export interface StoredDay {
  packageId: string;
  day: string;
  impressions: number;
  clicks: number;
  spend: number;
}

/** The seller's explicit confirmation of an overdelivery: the cumulative figures it stands by. */
export interface OverdeliveryConfirmation {
  packageId?: string | undefined;
  impressions?: number | undefined;
  spend?: number | undefined;
  reason?: string | undefined;
}

/** An overdelivery the seller confirmed, as the revision records it. */
export interface ConfirmedOverdelivery {
  packageId: string;
  metric: 'impressions' | 'spend';
  requested: number;
  allowed: number;
  booked: number;
  confirmed: number;
  reason: string | null;
}

const metrics = [
  { key: 'impressions', booked: 'impressions' },
  { key: 'spend', booked: 'budget' },
] as const;

/**
 * Each package's cumulative impressions and spend once the report is applied (its rows replace
 * the days they name) held to what was booked × (1 + tolerance): past it, the row where the
 * running total crosses the line is refused with the figures (requested: the package's new
 * cumulative total; allowed: the limit), unless `confirmations` name the package's figure at or
 * above what is requested, which is then an overdelivery the revision records.
 */
export function bookingIssues(
  rows: ReportRow[],
  stored: StoredDay[],
  buy: BuyRow,
  tolerancePercent: number,
  confirmations: OverdeliveryConfirmation[],
  prefix: string,
): { issues: RowIssue[]; overdelivery: ConfirmedOverdelivery[] } {
  const issues: RowIssue[] = [];
  const overdelivery: ConfirmedOverdelivery[] = [];
  for (const pkg of buy.packages) {
    const mine = rows.filter((r) => r.packageId === pkg.packageId);
    if (mine.length === 0) continue;
    const replaced = new Set(mine.map((r) => r.day));
    const timeline = [
      ...stored.filter((s) => s.packageId === pkg.packageId && !replaced.has(s.day)),
      ...latestPerDay(mine),
    ].sort((a, b) => a.day.localeCompare(b.day));
    const confirmation = confirmations.find(
      (c) => c.packageId === pkg.packageId || (!c.packageId && buy.packages.length === 1),
    );
    for (const metric of metrics) {
      const booked = pkg[metric.booked];
      const allowed =
        metric.key === 'spend'
          ? cents((booked * (100 + tolerancePercent)) / 100)
          : Math.floor((booked * (100 + tolerancePercent)) / 100 + 1e-6);
      const total = timeline.reduce((sum, d) => sum + d[metric.key], 0);
      const requested = metric.key === 'spend' ? cents(total) : total;
      if (requested <= allowed) continue;
      const confirmed = confirmation?.[metric.key];
      if (confirmed !== undefined && confirmed >= requested) {
        overdelivery.push({
          packageId: pkg.packageId,
          metric: metric.key,
          requested,
          allowed,
          booked,
          confirmed,
          reason: confirmation?.reason ?? null,
        });
        continue;
      }
      const row = crossingRow(timeline, mine, metric.key, allowed);
      issues.push({
        field: `${prefix}rows[${row.index}].${metric.key}`,
        message:
          `Report row ${row.index + 1} (${row.day}, package ${pkg.packageId}): ${metric.key} bring the ` +
          `package to ${requested}, over the ${allowed} allowed (${booked} booked + ${tolerancePercent} % ` +
          `tolerance). If it truly overdelivered, confirm it: ${prefix}confirmOverdelivery ` +
          `[{"packageId":"${pkg.packageId}","${metric.key}":${requested}}]`,
        requested,
        allowed,
      });
    }
  }
  return { issues, overdelivery };
}

/** The rows a report gives, a day named twice keeping its last figures (as a re-upload does). */
export function latestPerDay(rows: ReportRow[]): ReportRow[] {
  return [...new Map(rows.map((r) => [`${r.packageId}\u0000${r.day}`, r])).values()];
}

/**
 * The report row to name for a package over its limit: where the running total first passes it,
 * or (when that is a day already on record) the package's next row in the report, else its last.
 */
function crossingRow(
  timeline: Array<StoredDay | ReportRow>,
  mine: ReportRow[],
  key: 'impressions' | 'spend',
  allowed: number,
): ReportRow {
  let running = 0;
  let crossed = false;
  for (const entry of timeline) {
    running += entry[key];
    if (running > allowed + 1e-9) crossed = true;
    if (crossed && 'index' in entry) return entry;
  }
  return mine.reduce((last, r) => (r.day >= last.day ? r : last));
}
