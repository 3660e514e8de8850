import type { FrequencyCapSupport } from '../../sources/frequency-caps.js';
import { isRecord } from '../../platform/is-record.js';

/*
 * Frequency caps on an ad server's line items (GAM `frequencyCaps`, FreeWheel's placement
 * `delivery.frequency_cap`, SpringServe's demand tag `frequency_caps`: adapters/*): a package's
 * `max_impressions` per window of hours or days, counted per user as the ad server identifies
 * one (a browser's cookie, an app's device id). Written when the order is booked; an update
 * changes budgets, flight and pause only (booking/changes.ts), so a cap changed later is refused.
 */
export const adServerCapSupport: FrequencyCapSupport = {
  forwarded: false,
  enforces: {
    perUnits: ['cookies', 'devices'],
    windowUnits: ['hours', 'days'],
    suppress: false,
    onUpdate: false,
  },
};

const timeUnits = { hours: 'HOUR', days: 'DAY' } as const;

/** A line item's cap from a package's targeting overlay (judged first by capProblem), if any. */
export function lineCapOf(
  overlay: unknown,
): { maxImpressions: number; numTimeUnits: number; timeUnit: 'HOUR' | 'DAY' } | undefined {
  const cap = isRecord(overlay) ? overlay['frequency_cap'] : undefined;
  if (!isRecord(cap) || !isRecord(cap['window'])) return undefined;
  const max = cap['max_impressions'];
  const interval = cap['window']['interval'];
  const unit = cap['window']['unit'];
  if (typeof max !== 'number' || typeof interval !== 'number') return undefined;
  if (unit !== 'hours' && unit !== 'days') return undefined;
  return { maxImpressions: max, numTimeUnits: interval, timeUnit: timeUnits[unit] };
}
