import { isRecord } from '../../platform/is-record.js';

/*
 * The values AdCP 3.0.6 has that 3.1.19 dropped from an enum (every enums/*.json and inline enum
 * of 3.1.19 beside @adcp/sdk's 3.0.6), as a 3.1 caller is answered them: the other direction of
 * values30.ts. Three were dropped:
 *
 * - `video_completions` (enums/available-metric.json: a product's
 *   `reporting_capabilities.available_metrics`, a format's `reported_metrics`): renamed
 *   `completed_views`, the name delivery reports it under (adcontextprotocol/adcp#3453, per the
 *   spec's release notes); a 3.1 copy names it so, once.
 * - `notUsed` (enums/vast-tracking-event.json) and `loaded` (enums/daast-tracking-event.json):
 *   tracking events of creative assets (core/assets/vast-asset.json, daast-asset.json), which no
 *   product or format a source answers carries: only creative manifests do, and the storefront
 *   lists a creative back as its buyer synced it. No 3.1 name; not rewritten.
 *
 * A renamed value never empties a list, so no 3.1 copy is left without a required value: nothing
 * is dropped for it.
 */

/** 3.0.6 values 3.1.19 renamed, by their 3.1 name: enums/available-metric.json. */
const renamedMetrics: ReadonlyMap<unknown, string> = new Map([
  ['video_completions', 'completed_views'],
]);

type Json = Record<string, unknown>;

/** A metric list as 3.1 names it: renamed values in their 3.1 name, once; itself when none is. */
export function metricsFor31(metrics: unknown): unknown {
  if (!Array.isArray(metrics) || !metrics.some((m) => renamedMetrics.has(m))) return metrics;
  const named = metrics.map((m: unknown) => renamedMetrics.get(m) ?? m);
  return named.filter((m, i) => named.indexOf(m) === i);
}

/** `product` as a 3.1 caller is answered it; itself (the same object) when 3.1 names all it has. */
export function productFor31<P extends object>(product: P): P {
  const reporting = (product as Json)['reporting_capabilities'];
  if (!isRecord(reporting)) return product;
  const metrics = metricsFor31(reporting['available_metrics']);
  if (metrics === reporting['available_metrics']) return product;
  return { ...product, reporting_capabilities: { ...reporting, available_metrics: metrics } };
}

/** A creative format as a 3.1 caller is answered it; itself when 3.1 names all it has. */
export function formatFor31<F extends object>(format: F): F {
  const reported = (format as Json)['reported_metrics'];
  const metrics = metricsFor31(reported);
  return metrics === reported ? format : { ...format, reported_metrics: metrics };
}

/** `items` each as `one` makes it for 3.1; the same array when none changed. */
export function listFor31<T>(items: readonly T[], one: (item: T) => T): T[] {
  let changed: T[] | undefined;
  items.forEach((item, i) => {
    const made = one(item);
    if (made !== item) (changed ??= items.slice())[i] = made;
  });
  return changed ?? (items as T[]);
}
