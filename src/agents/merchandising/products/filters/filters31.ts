import type { GetProductsRequest } from '@adcp/sdk/types';
import { isRecord } from '../../../../platform/is-record.js';
import type { Product } from '../../types.js';

/*
 * The product filters AdCP 3.1 adds to get_products (core/product-filters.json), which a 3.0
 * source is never sent (source-kinds/agent/release.ts) and the kinds Interchange serves itself
 * (the buyer's sandbox, modular sources, ad servers, provider adapters) do not read, applied by
 * the storefront for a 3.1 caller to every source's products alike: `required_vendor_metrics`
 * and `pricing_currencies` after pricing (narrowedFor31), `required_metrics` and the placement
 * types to each source's checked products before they are merged and ranked
 * (narrowedPerSource31). All filter, never fail: a product that does not match is left out
 * silently, as the spec says of the `required_*` filters; one that does not declare what a filter
 * reads (a metric, a placement type) cannot be shown to match and is left out too.
 */

type Record_ = Record<string, unknown>;

const recordsOf = (value: unknown): Record_[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];
const domainOf = (value: unknown) =>
  isRecord(value) && typeof value['domain'] === 'string' ? value['domain'].toLowerCase() : '';

/** The products a 3.1 request's filters keep, their pricing options pruned to its currencies. */
export function narrowedFor31(products: Product[], request: GetProductsRequest): Product[] {
  const filters: Record_ = isRecord(request.filters) ? request.filters : {};
  const metrics = recordsOf(filters['required_vendor_metrics']);
  const currencies = Array.isArray(filters['pricing_currencies'])
    ? new Set(filters['pricing_currencies'].filter((c): c is string => typeof c === 'string'))
    : undefined;
  let kept = products;
  if (metrics.length > 0) kept = kept.filter((product) => reportsAll(product, metrics));
  if (currencies && currencies.size > 0) {
    kept = kept.flatMap((product) => pricedIn(product, currencies) ?? []);
  }
  return kept;
}

/**
 * Whether the product's `reporting_capabilities.vendor_metrics` covers every entry: an entry
 * pins a vendor, a metric id, or both (conjunctive).
 */
function reportsAll(product: Product, required: Record_[]): boolean {
  const reporting = (product as { reporting_capabilities?: unknown }).reporting_capabilities;
  const declared = recordsOf(isRecord(reporting) ? reporting['vendor_metrics'] : undefined);
  return required.every((want) =>
    declared.some(
      (have) =>
        (want['vendor'] === undefined || domainOf(want['vendor']) === domainOf(have['vendor'])) &&
        (want['metric_id'] === undefined || want['metric_id'] === have['metric_id']),
    ),
  );
}

/**
 * The product with only its pricing options in `currencies`, or undefined when none is left or
 * a signal charge the seller applies (`selection_mode: fixed`, `default_selected`) cannot be paid
 * in any of them.
 */
function pricedIn(product: Product, currencies: Set<string>): Product | undefined {
  const options = product.pricing_options.filter((option) => currencies.has(option.currency));
  if (options.length === 0) return undefined;
  // cast: 3.1's signal fields are not on the 3.0 Product type; read as JSON.
  const raw = product as unknown as Record_;
  const rules = raw['signal_targeting_rules'];
  if (isRecord(rules) && rules['selection_mode'] === 'fixed') {
    for (const signal of recordsOf(raw['signal_targeting_options'])) {
      if (signal['default_selected'] !== true) continue;
      const prices = recordsOf(signal['pricing_options']);
      const payable = prices.some(
        (p) => typeof p['currency'] === 'string' && currencies.has(p['currency']),
      );
      if (prices.length > 0 && !payable) return undefined;
    }
  }
  return { ...product, pricing_options: options as Product['pricing_options'] };
}

/** The placement-type filters and the product (and placement) field each one reads. */
const placementFilters = [
  'video_placement_types',
  'audio_distribution_types',
  'sponsored_placement_types',
  'social_placement_surfaces',
] as const;
/** reporting-capabilities.json: "Impressions and spend are always implicitly included." */
const implicitMetrics = ['impressions', 'spend'];

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Filtered lists kept per source answer (its checked products) and filters, while it is held. */
const kept = new WeakMap<readonly Product[], Map<string, Product[]>>();
/** Distinct filter sets kept per answer: the oldest goes first past this. */
const keptPerAnswer = 16;

/**
 * The products of one source a 3.1 request's `required_metrics` and placement-type filters keep:
 * itself when the request has none. The same list for the same answer and filters while the
 * answer is held (held-work.ts: its relabeled copies and rankings are then reused too).
 */
export function narrowedPerSource31(products: Product[], request: GetProductsRequest): Product[] {
  const filters: Record_ = isRecord(request.filters) ? request.filters : {};
  const metrics = stringsOf(filters['required_metrics']);
  const placements = placementFilters.flatMap((field) => {
    const wanted = stringsOf(filters[field]);
    return wanted.length > 0 ? [{ field, wanted: new Set(wanted) }] : [];
  });
  if (metrics.length === 0 && placements.length === 0) return products;
  const key = JSON.stringify([
    metrics,
    placements.map(({ field, wanted }) => [field, [...wanted]]),
  ]);
  let byFilters = kept.get(products);
  if (!byFilters) kept.set(products, (byFilters = new Map()));
  const found = byFilters.get(key);
  if (found) return found;
  const narrowed = products.filter(
    (product) =>
      (metrics.length === 0 || reportsMetrics(product, metrics)) &&
      placements.every(({ field, wanted }) => deliversOnly(product, field, wanted)),
  );
  byFilters.set(key, narrowed);
  if (byFilters.size > keptPerAnswer) byFilters.delete(byFilters.keys().next().value!);
  return narrowed;
}

/** `required_metrics`: the product's available_metrics (with the implicit ones) cover them all. */
function reportsMetrics(product: Product, required: string[]): boolean {
  const reporting = (product as { reporting_capabilities?: unknown }).reporting_capabilities;
  const available = new Set([
    ...implicitMetrics,
    ...stringsOf(isRecord(reporting) ? reporting['available_metrics'] : undefined),
  ]);
  return required.every((metric) => available.has(metric));
}

/**
 * A placement-type filter (3.1.19 product-filters.json): the product can be satisfied with a
 * requested type, and a mixed bundle with unrequested types matches only where the buyer can
 * narrow delivery to requested ones. So: everything it declares (product-level, else every
 * placement's) is requested, or a `targetable` placement declares requested types only. A product
 * that declares none cannot be shown to satisfy the filter and is left out.
 */
function deliversOnly(product: Product, field: string, wanted: Set<string>): boolean {
  // cast: 3.1's placement-type fields are not on the 3.0 Product type; read as JSON.
  const raw = product as unknown as Record_;
  const placements = recordsOf(raw['placements']);
  const only = (types: string[]) => types.length > 0 && types.every((type) => wanted.has(type));
  const declared = stringsOf(raw[field]);
  const whole =
    declared.length > 0 || !placements.every((p) => stringsOf(p[field]).length > 0)
      ? declared
      : placements.flatMap((p) => stringsOf(p[field]));
  return (
    only(whole) || placements.some((p) => p['mode'] === 'targetable' && only(stringsOf(p[field])))
  );
}
