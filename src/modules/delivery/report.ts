/**
 * Reads an AdCP get_media_buy_delivery answer (or a delivery push notification, same shape) into
 * what one buy's packages delivered: per day where the seller broke it down by day
 * (`by_package[].daily_breakdown`), otherwise cumulative over the reporting period.
 */

import { cents } from '../../platform/pricing.js';
import { isRecord } from '../../platform/is-record.js';
import { deliveryMetrics, type Metrics } from './metrics.js';

type Json = Record<string, unknown>;

export type { Metrics };

export interface PackageReport {
  packageId: string;
  currency: string;
  /** Figures over [startDay, endDay], inclusive, as the seller summed them. */
  cumulative: Metrics;
  startDay: string;
  endDay: string;
  /** The seller's own per-day figures (impressions, spend, conversions only, as AdCP has them). */
  days: { day: string; metrics: Metrics }[];
  /**
   * Every day also carries its clicks (beside AdCP's fields, as Interchange's modular sources
   * report them): clicks are then per day too, not spread by the cumulative rule.
   */
  dayClicks: boolean;
}

const count = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
const money = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? cents(v) : 0);
const currencyOf = (v: unknown) =>
  typeof v === 'string' && /^[A-Za-z]{3}$/.test(v) ? v.toUpperCase() : undefined;

/**
 * The currency one buy's delivery is in, as the seller reported it: the buy's own where the
 * seller names one (outside AdCP 3.0's schema, which allows extra fields), else the answer's
 * (AdCP: required, the response's currency), else `fallback` (the buy's booked currency).
 * Recorded figures and the live merged answer both read it here, so they never disagree.
 */
export function deliveryCurrencyOf(answer: Json, delivery: Json, fallback: string): string {
  return currencyOf(delivery['currency']) ?? currencyOf(answer['currency']) ?? fallback;
}

/**
 * The currency of one package's rate and spend: AdCP's by_package[].currency, which may differ
 * from the response's ("different packages can use different currencies"), else the buy's.
 */
export function packageCurrencyOf(pkg: Json, deliveryCurrency: string): string {
  return currencyOf(pkg['currency']) ?? deliveryCurrency;
}
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function metricsOf(m: Json): Metrics {
  const figures = {} as Metrics;
  for (const metric of deliveryMetrics) {
    figures[metric.key] = (metric.money ? money : count)(m[metric.column]);
  }
  return figures;
}

/** The UTC day of an instant; an exclusive midnight end belongs to the day before. */
function dayOf(instant: string, isEnd: boolean): string | undefined {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return dayPattern.test(instant) ? instant : undefined;
  const at = new Date(isEnd && t % 86_400_000 === 0 ? t - 1 : t);
  return at.toISOString().slice(0, 10);
}

/**
 * The packages of `sellerMediaBuyId` in a delivery answer. A period ending after `today` (a
 * seller quoting the whole flight) ends today: nothing is delivered in the future.
 */
export function packageReportsOf(
  answer: Json,
  sellerMediaBuyId: string,
  fallbackCurrency: string,
  today: string,
): PackageReport[] {
  const deliveries = Array.isArray(answer['media_buy_deliveries'])
    ? answer['media_buy_deliveries'].filter(isRecord)
    : [];
  const delivery = deliveries.find((d) => d['media_buy_id'] === sellerMediaBuyId);
  if (!delivery) return [];
  const period = isRecord(answer['reporting_period']) ? answer['reporting_period'] : {};
  const endDay = [typeof period['end'] === 'string' ? dayOf(period['end'], true) : undefined, today]
    .filter((d): d is string => d !== undefined)
    .sort()[0] as string;
  const start = typeof period['start'] === 'string' ? dayOf(period['start'], false) : undefined;
  const startDay = start && start <= endDay ? start : endDay;
  const currency = deliveryCurrencyOf(answer, delivery, fallbackCurrency);
  const packages = Array.isArray(delivery['by_package'])
    ? delivery['by_package'].filter(isRecord)
    : [];
  return packages.flatMap((pkg) => {
    const packageId = typeof pkg['package_id'] === 'string' ? pkg['package_id'] : '';
    if (!packageId) return [];
    const given = (Array.isArray(pkg['daily_breakdown']) ? pkg['daily_breakdown'] : [])
      .filter(isRecord)
      .filter((d) => typeof d['date'] === 'string' && dayPattern.test(d['date']))
      .filter((d) => (d['date'] as string) <= today);
    const days = given.map((d) => ({ day: d['date'] as string, metrics: metricsOf(d) }));
    const dayClicks = given.length > 0 && given.every((d) => typeof d['clicks'] === 'number');
    return [
      {
        packageId,
        currency: packageCurrencyOf(pkg, currency),
        cumulative: metricsOf(pkg),
        startDay,
        endDay,
        days,
        dayClicks,
      },
    ];
  });
}
