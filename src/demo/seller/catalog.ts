import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import {
  demoProductRows,
  demoPublisherDomain,
  type DemoPrice,
  type DemoProductRow,
} from './catalog-rows.js';

export type Product = GetProductsResponse['products'][number];

/** The demo seller's product catalogue, with format ids pointing at the agent itself. */
export interface DemoCatalog {
  products: Product[];
  findProduct(productId: string): Product | undefined;
  /** One of a product's pricing options: its CPM (rate card or floor) and minimum spend. */
  findPrice(productId: string, pricingOptionId: string): DemoPrice | undefined;
}

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
    findProduct: (productId) => byId.get(productId),
    findPrice(productId, pricingOptionId) {
      const row = rowsById.get(productId);
      return row?.prices.find((price) => pricingOptionIdOf(row, price.kind) === pricingOptionId);
    },
  };
}

/**
 * Products matching the request's filters. A brief ranks products by how many of its words
 * appear in their name and description; wholesale returns the catalogue as is.
 */
export function selectProducts(catalog: DemoCatalog, request: GetProductsRequest): Product[] {
  const channels = request.filters?.channels;
  const deliveryType = request.filters?.delivery_type;
  const matching = catalog.products.filter(
    (product) =>
      (!channels?.length || product.channels?.some((channel) => channels.includes(channel))) &&
      (!deliveryType || product.delivery_type === deliveryType),
  );
  if (request.buying_mode !== 'brief' || !request.brief) return matching;
  const words = request.brief.toLowerCase().match(/[a-z]{3,}/g) ?? [];
  const score = (product: Product): number => {
    const text = `${product.name} ${product.description}`.toLowerCase();
    return words.filter((word) => text.includes(word)).length;
  };
  return [...matching].sort((a, b) => score(b) - score(a));
}

function toProduct(row: DemoProductRow, agentUrl: string): Product {
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
