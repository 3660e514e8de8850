import type { FeedStateOf } from '../../adcp31/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { optimizationMetrics } from '../../../sources/answers.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import type { Product } from '../types.js';
import { gatherSourceProducts } from '../products/composition.js';

/** Target kinds of vendor_metric goals (core/vendor-metric-optimization-supported-metric.json). */
const vendorTargets = ['cost_per', 'threshold_rate'] as const;

/**
 * AdCP 3.1's seller-level rollups of the products (get-adcp-capabilities-response.json):
 * `supported_optimization_metrics`, the union of the products' `metric_optimization
 * .supported_metrics`, and `vendor_metric_optimization.supported_targets`, the union of their
 * `vendor_metric_optimization` entries' target kinds. A field no product supports is omitted
 * (the spec: omitted, no guarantee; listed, at least one product supports it).
 */
export function rollupOf(products: readonly Product[]): Record<string, unknown> {
  const metrics = new Set<string>();
  const targets = new Set<string>();
  let vendorMetrics = false;
  for (const product of products) {
    const fields: Record<string, unknown> = { ...product };
    const native = fields['metric_optimization'];
    if (isRecord(native))
      for (const metric of listed(native['supported_metrics'])) metrics.add(metric);
    const vendor = fields['vendor_metric_optimization'];
    const entries = isRecord(vendor) ? vendor['supported_metrics'] : undefined;
    if (!Array.isArray(entries) || entries.length === 0) continue;
    vendorMetrics = true;
    for (const entry of entries) {
      if (isRecord(entry)) for (const kind of listed(entry['supported_targets'])) targets.add(kind);
    }
  }
  const declared = optimizationMetrics.filter((metric) => metrics.has(metric));
  const kinds = vendorTargets.filter((kind) => targets.has(kind));
  return {
    ...(declared.length > 0 && { supported_optimization_metrics: declared }),
    ...(vendorMetrics && {
      vendor_metric_optimization: kinds.length > 0 ? { supported_targets: kinds } : {},
    }),
  };
}

const listed = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** How long a rollup over sources answering live (no version, no answer cache) is kept. */
const liveWindowMs = 60_000;
/** Rollups kept at most (storefronts × callers); the oldest goes first. */
const maxEntries = 1_000;

/**
 * The rollups for the caller, of the products the storefront would sell it: its active sources'
 * wholesale listing for this buyer (the sandbox inventory it seeded included, as get_products
 * answers it), shaped by the storefront's product rules. Computed once per state of that
 * listing and kept: the key is the caller's wholesale feed state (products/feed/state.ts: the storefront,
 * the customer, the database's feed revision, the seeded inventory, and the mirrored sources'
 * versions or the source answer cache's window), so a source's new catalog makes a new key on
 * every instance. Where sources answer live and publish no version, a rollup is kept for a
 * minute. A failure leaves the rollups out of that answer (nothing promised) and is reported.
 */
export function productRollups(
  deps: MerchandisingDeps,
  options: { now?: () => number } = {},
): (feedStateOf: FeedStateOf) => () => Promise<Record<string, unknown>> {
  const now = options.now ?? Date.now;
  const kept = new Map<string, Promise<Record<string, unknown>>>();
  return (feedStateOf) => async () => {
    const { storefront, principal } = agentRequest();
    try {
      const feed = await feedStateOf({ buying_mode: 'wholesale' });
      const key = `${feed.state}|${feed.live ? Math.floor(now() / liveWindowMs) : ''}`;
      let rollup = kept.get(key);
      if (!rollup) {
        rollup = (async () => {
          // The buyer's seeded fixtures count: capabilities name no account, and its sandbox
          // accounts buy them.
          let { products } = await gatherSourceProducts(
            deps,
            storefront,
            principal.customerId,
            { buying_mode: 'wholesale' },
            { sandbox: true },
          );
          if (deps.productRules && storefront.storefrontType === 'composition') {
            products = await deps.productRules.shape(storefront.id, products);
          }
          return rollupOf(products);
        })();
        kept.set(key, rollup);
        rollup.catch(() => kept.delete(key));
        if (kept.size > maxEntries) kept.delete(kept.keys().next().value ?? key);
      }
      return await rollup;
    } catch (error) {
      deps.onError?.(error, 'capability rollups');
      return {};
    }
  };
}
