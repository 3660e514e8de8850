import type { GetProductsResponse } from '@adcp/sdk/types';
import { formatOptionsOf } from '../../adcp31/index.js';

type WireProduct = GetProductsResponse['products'][number];

/**
 * AdCP 3.1's canonical formats beside each product's format_ids (3.1 callers only): a 3.1
 * source's own `format_options` are kept; otherwise they are projected from the format_ids
 * through the spec's v1 → v2 mapping, and left out when any format has no projection.
 */
export function withFormatOptions<P extends WireProduct>(products: P[]): P[] {
  return products.map((product) => {
    if (Array.isArray((product as { format_options?: unknown }).format_options)) {
      // A product declaring canonical formats only carries no format_ids for 3.1 (product.json
      // takes either; an empty list is what a 3.0 answer needs in their place).
      if (product.format_ids?.length !== 0) return product;
      const { format_ids: _none, ...canonical } = product;
      return canonical as P;
    }
    const options = formatOptionsOf(product.format_ids);
    return options ? { ...product, format_options: options } : product;
  });
}
