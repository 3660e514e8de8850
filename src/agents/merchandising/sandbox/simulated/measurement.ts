import type { SimulateDeliveryParams } from '@adcp/sdk/testing';

/*
 * What a sandbox buy's simulated delivery reports of measurement (comply_test_controller
 * simulate_delivery, AdCP 3.1 core/delivery-metrics.json): the viewability block
 * (delivery_reporting/viewability_delivery) and vendor-defined metric values
 * (vendor_metric_accountability), and whether the figures are final (billing_finality_delivery:
 * `is_final`, `finalized_at`, `measurement_window`). The controller's figures are kept as given: the latest
 * viewability block stands, and a vendor metric value replaces the one of the same
 * `(vendor.domain, vendor.brand_id, metric_id)`, which the spec allows once per report.
 */

type Json = Record<string, unknown>;

/** Measurement a simulated delivery reports (source.ts). */
export interface SimulatedMeasurement {
  viewability?: Json | undefined;
  vendor_metric_values?: Json[] | undefined;
  /** Billing finality (billing_finality_delivery): the latest the controller gave stands. */
  finality?: Finality | undefined;
}

/** Whether the figures are final, since when, and the measurement window they were taken in. */
export interface Finality {
  is_final: boolean;
  finalized_at?: string;
  measurement_window?: string;
}

/** `is_final` with its `finalized_at` (a final row only) and `measurement_window`, if given. */
function finalityOf(params: SimulateDeliveryParams): Finality | undefined {
  const isFinal = params['is_final'];
  if (typeof isFinal !== 'boolean') return undefined;
  const at = params['finalized_at'];
  const window = params['measurement_window'];
  return {
    is_final: isFinal,
    ...(isFinal && typeof at === 'string' && !Number.isNaN(Date.parse(at)) && { finalized_at: at }),
    ...(typeof window === 'string' && window !== '' && { measurement_window: window }),
  };
}

const objectOf = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;

const isCount = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The viewability block's fields delivery-metrics.json defines, those given well-formed. */
function viewabilityOf(value: unknown): Json | undefined {
  const block = objectOf(value);
  if (!block) return undefined;
  const kept: Json = {};
  for (const field of ['measurable_impressions', 'viewable_impressions', 'viewed_seconds']) {
    if (isCount(block[field])) kept[field] = block[field];
  }
  const rate = block['viewable_rate'];
  if (typeof rate === 'number' && rate >= 0 && rate <= 1) kept['viewable_rate'] = rate;
  if (block['standard'] === 'mrc' || block['standard'] === 'groupm') {
    kept['standard'] = block['standard'];
  }
  if (objectOf(block['vendor'])) kept['vendor'] = block['vendor'];
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** A vendor metric value (core/vendor-metric-value.json) when it names vendor, metric and value. */
function vendorValueOf(value: unknown): Json | undefined {
  const entry = objectOf(value);
  const vendor = objectOf(entry?.['vendor']);
  if (!entry || typeof vendor?.['domain'] !== 'string') return undefined;
  if (typeof entry['metric_id'] !== 'string' || typeof entry['value'] !== 'number') {
    return undefined;
  }
  return entry;
}

const keyOf = (entry: Json) => {
  const vendor = objectOf(entry['vendor']) ?? {};
  return JSON.stringify([vendor['domain'], vendor['brand_id'] ?? null, entry['metric_id']]);
};

/** One row per vendor metric: later rows replace earlier ones of the same key. */
export function mergeVendorValues(
  before: Json[] | undefined,
  after: Json[] | undefined,
): Json[] | undefined {
  if (!before && !after) return undefined;
  const rows = new Map<string, Json>();
  for (const entry of [...(before ?? []), ...(after ?? [])]) rows.set(keyOf(entry), entry);
  return [...rows.values()];
}

/** The measurement a simulate_delivery call gives, as delivery reports it. */
export function simulatedMeasurement(params: SimulateDeliveryParams): SimulatedMeasurement {
  const viewability = viewabilityOf(params['viewability']);
  const given = params['vendor_metric_values'];
  const values = Array.isArray(given)
    ? given.map(vendorValueOf).filter((v): v is Json => v !== undefined)
    : [];
  const finality = finalityOf(params);
  return {
    ...(finality && { finality }),
    ...(viewability && { viewability }),
    ...(values.length > 0 && { vendor_metric_values: mergeVendorValues(undefined, values) }),
  };
}
