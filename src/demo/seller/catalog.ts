import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { Product, SellerCatalog } from '../../agents/in-memory-seller/index.js';
import { demoProductRows, demoPublisherDomain, type DemoProductRow } from './catalog-rows.js';

/** The demo seller's product catalogue, with format ids pointing at the agent itself. */
export type DemoCatalog = SellerCatalog;

/**
 * `copies` > 1 repeats the catalogue with suffixed ids (`…_2`, `…_3`), for benchmarks that need
 * a large seller.
 */
export function buildDemoCatalog(agentUrl: string, copies = 1): DemoCatalog {
  const rows = Array.from({ length: Math.max(1, copies) }, (_, n) =>
    n === 0
      ? demoProductRows
      : demoProductRows.map((row) => ({ ...row, id: `${row.id}_${n + 1}` })),
  ).flat();
  const products = rows.map((row) => toProduct(row, agentUrl));
  const byId = new Map(products.map((product) => [product.product_id, product]));
  const rowsById = new Map(rows.map((row) => [row.id, row]));
  return {
    products,
    // The demo seller guarantees billing measurement within 10% on every product.
    billingVariancePercent: 10,
    findProduct: (productId) => byId.get(productId),
    findPrice(productId, pricingOptionId) {
      const row = rowsById.get(productId);
      return row?.prices.find((price) => pricingOptionIdOf(row, price.kind) === pricingOptionId);
    },
  };
}

/**
 * What the demo seller optimises for, by channel (AdCP metric_optimization): display for clicks
 * and viewable impressions, video for completions, one goal per package; audio for none. It
 * tracks no conversions.
 */
const goalSupport: Partial<Record<DemoProductRow['channel'], Partial<Product>>> = {
  display: {
    metric_optimization: {
      supported_metrics: ['clicks', 'views'],
      supported_targets: ['cost_per', 'threshold_rate'],
    },
    max_optimization_goals: 2,
  },
  olv: {
    metric_optimization: {
      supported_metrics: ['completed_views', 'views'],
      supported_view_durations: [15, 30],
      supported_targets: ['cost_per'],
    },
    max_optimization_goals: 1,
  },
  ctv: {
    metric_optimization: {
      supported_metrics: ['completed_views'],
      supported_targets: ['cost_per'],
    },
    max_optimization_goals: 1,
  },
};

function toProduct(row: DemoProductRow, agentUrl: string): Product {
  return { ...productOf(row, agentUrl), ...goalSupport[row.channel] };
}

function productOf(row: DemoProductRow, agentUrl: string): Product {
  return buildProduct({
    id: row.id,
    name: row.name,
    description: row.description,
    formats: row.formats,
    agentUrl,
    delivery_type: row.delivery,
    channels: [row.channel],
    publisher_properties: [
      { publisher_domain: demoPublisherDomain, selection_type: 'by_tag', property_tags: row.tags },
    ],
    pricing: row.prices.map((price) =>
      buildPricingOption({
        id: pricingOptionIdOf(row, price.kind),
        model: 'cpm',
        currency: 'USD',
        ...(price.kind === 'fixed' ? { fixed: price.cpm } : { floor: price.cpm }),
        ...(price.minSpend !== undefined && { min_spend_per_package: price.minSpend }),
      }),
    ),
  });
}

function pricingOptionIdOf(row: DemoProductRow, kind: 'fixed' | 'floor'): string {
  return `${row.id}_cpm_${kind}`;
}
