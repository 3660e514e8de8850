import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import { isRecord } from '../../../../platform/is-record.js';
import { formatSelectorProblem } from './format-selector.js';
import { type CatalogOf, vendorMetricProblem } from './vendor-metric-checks.js';

/*
 * AdCP 3.1's rejections of a create_media_buy package its product cannot serve as asked, each
 * with the field that is wrong (core/error.json: a JSON-path-like `field`, compared literally):
 * a goal the product cannot optimise for (INVALID_REQUEST), measurement terms it cannot honour
 * (TERMS_REJECTED), a direct canonical format selector the product's formats do not satisfy
 * (format-selector.ts), a vendor_metric goal's preconditions (vendor-metric-checks.ts), and
 * references to audiences or event sources nothing bound for the buyer.
 * Pure: the caller finds the product and says whether its seller binds audiences and event
 * sources (package-terms.ts).
 */

/** What a check reads of a product: its declarations, as AdCP 3.1's product.json names them. */
export type DeclaredProduct = object;

/** What the package's seller can bind: audiences (sync_audiences), event sources (sync_event_sources). */
export interface Bindings {
  audiences: boolean;
  eventSources: boolean;
}

/**
 * The completed-view thresholds a product that declares none is held to (product.json: absent
 * `supported_view_durations` means the seller's platform default): the common video lengths.
 */
export const defaultViewDurations = [2, 6, 15, 30];

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** The first reason package `index` cannot be served by `product`, or undefined. */
export function packageProblem(
  pkg: Record<string, unknown>,
  index: number,
  product: DeclaredProduct,
  binds: Bindings,
  catalogOf?: CatalogOf,
): AdcpError | undefined {
  const at = `packages[${index}]`;
  for (const [g, goal] of list(pkg['optimization_goals']).entries()) {
    const problem = goalProblem(record(goal), `${at}.optimization_goals[${g}]`, product, binds);
    if (problem) return problem;
  }
  return (
    formatSelectorProblem(pkg, at, product) ??
    vendorMetricProblem(pkg, at, product, catalogOf) ??
    termsProblem(record(pkg['measurement_terms']), `${at}.measurement_terms`, product) ??
    audienceProblem(record(pkg['targeting_overlay']), `${at}.targeting_overlay`, binds) ??
    signalProblem(record(pkg['targeting_overlay']), `${at}.targeting_overlay`, product)
  );
}

/**
 * A product-scoped signal_ref the product does not offer (core/signal-ref.json: its signal_id
 * MUST match one of the product's signal_targeting_options): the seller could not prove the
 * package was targeted as asked, so the buy is refused at that ref. Other scopes are their
 * definitions' to resolve (the seller's source decides).
 */
function signalProblem(
  overlay: Record<string, unknown>,
  at: string,
  product: DeclaredProduct,
): AdcpError | undefined {
  const offered = new Set(
    list((product as Record<string, unknown>)['signal_targeting_options']).flatMap((option) => {
      const ref = record(record(option)['signal_ref']);
      return ref['scope'] === 'product' && typeof ref['signal_id'] === 'string'
        ? [ref['signal_id']]
        : [];
    }),
  );
  const groups = list(record(overlay['signal_targeting_groups'])['groups']);
  for (const [g, group] of groups.entries()) {
    for (const [i, signal] of list(record(group)['signals']).entries()) {
      const ref = record(record(signal)['signal_ref']);
      if (ref['scope'] !== 'product' || offered.has(String(ref['signal_id']))) continue;
      return new InvalidRequestError(
        `${at}.signal_targeting_groups.groups[${g}].signals[${i}].signal_ref`,
        `Signal ${String(ref['signal_id']).slice(0, 64)} is not one this product offers (its signal_targeting_options); ask get_products or get_signals for what it offers`,
      );
    }
  }
  return undefined;
}

function goalProblem(
  goal: Record<string, unknown>,
  at: string,
  product: DeclaredProduct,
  binds: Bindings,
): AdcpError | undefined {
  if (goal['kind'] === 'event') {
    const sources = list(goal['event_sources']).map(record);
    // A return-on-ad-spend target needs a conversion value to divide by (optimization-goal.json).
    const target = record(goal['target']);
    if (target['kind'] === 'per_ad_spend' && !sources.some((s) => s['value_field'])) {
      return new InvalidRequestError(
        `${at}.event_sources[0].value_field`,
        'A per_ad_spend target needs a value_field on an event source (the conversion value the return is measured in)',
      );
    }
    if (binds.eventSources) return undefined;
    const unbound = sources.findIndex((s) => typeof s['event_source_id'] === 'string');
    if (unbound < 0) return undefined;
    return new InvalidRequestError(
      `${at}.event_sources[${unbound}].event_source_id`,
      `Event source ${String(sources[unbound]!['event_source_id'])} is not registered for this account: this product's seller takes no event sources (sync_event_sources)`,
    );
  }
  if (goal['kind'] !== 'metric') return undefined;
  const declared = record(record(product)['metric_optimization']);
  if (goal['metric'] === 'reach') {
    const units = list(declared['supported_reach_units']);
    if (!units.includes(goal['reach_unit'])) {
      return new InvalidRequestError(
        `${at}.reach_unit`,
        `reach_unit ${String(goal['reach_unit'])} is not one this product optimises reach in (supported: ${units.join(', ') || 'none'})`,
      );
    }
  }
  const seconds = goal['view_duration_seconds'];
  if (goal['metric'] === 'completed_views' && seconds !== undefined) {
    const durations = Array.isArray(declared['supported_view_durations'])
      ? declared['supported_view_durations']
      : defaultViewDurations;
    if (!durations.includes(seconds)) {
      return new InvalidRequestError(
        `${at}.view_duration_seconds`,
        `view_duration_seconds ${String(seconds)} is not a completed-view threshold this product supports (${durations.join(', ')})`,
      );
    }
  }
  return undefined;
}

/**
 * Billing-measurement terms the product cannot honour: a measurement window it does not report
 * (reporting_capabilities.measurement_windows), or a variance tighter than the one it declares.
 */
function termsProblem(
  terms: Record<string, unknown>,
  at: string,
  product: DeclaredProduct,
): AdcpError | undefined {
  const billing = record(terms['billing_measurement']);
  const window = billing['measurement_window'];
  const windows = list(record(record(product)['reporting_capabilities'])['measurement_windows'])
    .map((w) => record(w)['window_id'])
    .filter((id): id is string => typeof id === 'string');
  if (typeof window === 'string' && !windows.includes(window)) {
    return termsRejected(
      `${at}.billing_measurement.measurement_window`,
      `This product reports no ${window} measurement window (it reports: ${windows.join(', ') || 'none'}), so billing cannot be reconciled against it`,
    );
  }
  const asked = billing['max_variance_percent'];
  const offered = record(record(record(product)['measurement_terms'])['billing_measurement'])[
    'max_variance_percent'
  ];
  if (typeof asked === 'number' && typeof offered === 'number' && asked < offered) {
    return termsRejected(
      `${at}.billing_measurement.max_variance_percent`,
      `This product's billing measurement holds to ${offered}% variance; ${asked}% is not workable`,
    );
  }
  return undefined;
}

const termsRejected = (field: string, message: string) =>
  new AdcpError('TERMS_REJECTED', { field, message, recovery: 'correctable' });

function audienceProblem(
  overlay: Record<string, unknown>,
  at: string,
  binds: Bindings,
): AdcpError | undefined {
  if (binds.audiences) return undefined;
  for (const key of ['audience_include', 'audience_exclude']) {
    const ids = list(overlay[key]);
    if (ids.length === 0) continue;
    return new InvalidRequestError(
      `${at}.${key}[0]`,
      `Audience ${String(ids[0])} is not registered for this account: this product's seller takes no audiences (sync_audiences), so it cannot restrict delivery to one`,
    );
  }
  return undefined;
}
