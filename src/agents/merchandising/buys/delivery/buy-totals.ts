/**
 * A buy's delivery totals from the totals of its parts (one per source holding a part).
 *
 * For a 3.0 caller: spend, impressions and clicks summed, as before 3.1. For a 3.1 caller also
 * every count the parts report that adds up across parts (views, completed views, conversions,
 * conversion value, …), the rates AdCP defines over them computed from the sums (ctr,
 * completion_rate, cost_per_click, cost_per_acquisition, roas, …), and reach and frequency when
 * the buy has one part that reports them, as are vendor metric values. Reach does not add up across sources (a person reached
 * by two is one person, and no source knows the other's audience), so a buy over several sources
 * carries no reach or frequency: AdCP lets a seller omit a metric it cannot measure. Viewability
 * (3.0.6 has it too) adds up across parts measured under one standard (sources/viewability.ts);
 * parts measured under different standards give no block.
 */
import { cents } from '../../../../sources/money.js';
import { isRecord } from '../../../../platform/is-record.js';
import {
  combinedViewability,
  viewabilityBlock,
  type RowViewability,
} from '../../../../sources/viewability.js';

type Totals = Record<string, unknown>;

const additive31 = [
  'views',
  'completed_views',
  'conversions',
  'conversion_value',
  'leads',
  'plays',
  'engagements',
  'follows',
  'saves',
  'profile_visits',
  'downloads',
  'units_sold',
] as const;

/** Each rate: its numerator and denominator (from the summed totals), and its scale. */
const rates31: ReadonlyArray<[string, string, string, number]> = [
  ['ctr', 'clicks', 'impressions', 1],
  ['completion_rate', 'completed_views', 'impressions', 1],
  ['cost_per_click', 'spend', 'clicks', 1],
  ['cost_per_completed_view', 'spend', 'completed_views', 1],
  ['cost_per_acquisition', 'spend', 'conversions', 1],
  ['roas', 'conversion_value', 'spend', 1],
  ['cpm', 'spend', 'impressions', 1000],
];

/** Reach and what it is measured in, kept together from the one part that reports them. */
const reachFields = ['reach', 'reach_unit', 'reach_window', 'frequency'] as const;

/**
 * Measurement blocks that do not add up across sources (each is one vendor's or one seller's
 * measurement over its own impressions): kept from a buy's one part, left out over several.
 */
const onePartFields = ['vendor_metric_values'] as const;

const numberOf = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function sumOf(parts: readonly Totals[], field: string): number | undefined {
  const values = parts.flatMap((t) => {
    const n = numberOf(t[field]);
    return n === undefined ? [] : [n];
  });
  return values.length === 0 ? undefined : values.reduce((sum, n) => sum + n, 0);
}

// not money: two places, for a frequency
const round2 = (value: number) => Math.round(value * 100) / 100;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function buyTotals(parts: readonly Totals[], v31: boolean): Totals {
  const clicks = sumOf(parts, 'clicks');
  const totals: Totals = {
    spend: cents(sumOf(parts, 'spend') ?? 0),
    impressions: sumOf(parts, 'impressions') ?? 0,
    ...(clicks !== undefined && { clicks }),
  };
  const viewability = viewabilityOfParts(parts);
  if (viewability) totals['viewability'] = viewability;
  if (!v31) return totals;
  for (const field of additive31) {
    const sum = sumOf(parts, field);
    if (sum !== undefined) totals[field] = field === 'conversion_value' ? cents(sum) : sum;
  }
  for (const [rate, over, under, scale] of rates31) {
    const top = numberOf(totals[over]);
    const bottom = numberOf(totals[under]);
    if (top === undefined || !bottom) continue;
    const value = (top / bottom) * scale;
    totals[rate] = scale === 1 && under === 'impressions' ? round4(value) : cents(value);
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  for (const field of onePartFields) {
    if (only?.[field] !== undefined) totals[field] = only[field];
  }
  return { ...totals, ...reachOf(parts, numberOf(totals['impressions'])) };
}

function reachOf(parts: readonly Totals[], impressions: number | undefined): Totals {
  const only = parts.length === 1 ? parts[0] : undefined;
  const reach = numberOf(only?.['reach']);
  if (!only || reach === undefined) return {};
  const kept = Object.fromEntries(
    reachFields.flatMap((field) => (only[field] === undefined ? [] : [[field, only[field]]])),
  );
  if (kept['frequency'] === undefined && reach > 0 && impressions !== undefined) {
    kept['frequency'] = round2(impressions / reach);
  }
  return kept;
}

/** A part's viewability block as a row of it; none when the part measured none. */
function rowOf(block: unknown): RowViewability | undefined {
  if (!isRecord(block)) return undefined;
  const measurable = numberOf(block['measurable_impressions']);
  if (measurable === undefined) return undefined;
  return {
    measurableImpressions: measurable,
    viewableImpressions: numberOf(block['viewable_impressions']) ?? 0,
    viewedSeconds: numberOf(block['viewed_seconds']) ?? null,
    viewabilityStandard: typeof block['standard'] === 'string' ? block['standard'] : null,
  };
}

/** The parts' viewability as one block: none measured, or measured under different standards. */
function viewabilityOfParts(parts: readonly Totals[]) {
  const rows = parts.flatMap((t) => {
    const row = rowOf(t['viewability']);
    return row ? [row] : [];
  });
  if (new Set(rows.map((r) => r.viewabilityStandard)).size > 1) return undefined;
  return viewabilityBlock(combinedViewability(rows));
}
