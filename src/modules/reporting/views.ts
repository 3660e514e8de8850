import { cents, round4 } from '../../platform/pricing.js';
import type { MetricsView } from './schemas.js';
import type { EventConversionRow, Sums } from './store.js';

const per = (a: number | null, b: number, scale = 1) =>
  a === null || b === 0 ? null : round4((a / b) * scale);

/**
 * The hosted metrics of one level from its per-currency sums. Counts add up across currencies;
 * money (spend, conversion value) and the ratios built on it are given only when the level is
 * in one currency, and are null otherwise: mixed currencies are never summed (byCurrency has them).
 */
export function metricsOf(parts: Sums[]): MetricsView {
  const total = (key: Exclude<keyof Sums, 'currency'>) => parts.reduce((s, p) => s + p[key], 0);
  const single = parts.length <= 1;
  const impressions = total('impressions');
  const clicks = total('clicks');
  const views = total('views');
  const completedViews = total('completedViews');
  const conversions = total('conversions');
  const spend = single ? cents(total('spend')) : null;
  const conversionValue = single ? cents(total('conversionValue')) : null;
  return {
    impressions,
    spend,
    clicks,
    views,
    completedViews,
    conversions,
    // AdCP reports leads and video completions under other names; sellers' figures go there.
    leads: 0,
    videoCompletions: completedViews,
    conversionValue,
    ecpm: per(spend, impressions, 1000),
    cpc: per(spend, clicks),
    ctr: per(clicks, impressions),
    completionRate: per(completedViews, views),
    cpa: per(spend, conversions),
    roas: spend === null || conversionValue === null ? null : per(conversionValue, spend),
  };
}

/** A level's money per currency, in currency order. */
export const byCurrencyOf = (parts: Sums[]) =>
  [...parts]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((p) => ({
      currency: p.currency,
      spend: cents(p.spend),
      conversionValue: cents(p.conversionValue),
    }));

/** The one currency of a level, or null when it has several (or no figures). */
export const currencyOf = (parts: Sums[]) =>
  parts.length === 1 ? (parts[0] as Sums).currency : null;

/** Event conversions of some rows: a count, and values per currency (never summed across). */
export function eventConversionsOf(rows: EventConversionRow[]) {
  const values = new Map<string, number>();
  for (const r of rows) {
    if (r.currency && r.value > 0) values.set(r.currency, (values.get(r.currency) ?? 0) + r.value);
  }
  return {
    count: rows.reduce((s, r) => s + r.count, 0),
    values: [...values.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, value]) => ({ currency, value: cents(value) })),
  };
}
