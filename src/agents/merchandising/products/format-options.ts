import type { GetProductsResponse } from '@adcp/sdk/types';
import { formatDivergences, formatOptionsOf } from '../../adcp31/index.js';
import type { AdcpErrorObject } from '../types.js';

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

/**
 * A 3.1 answer's `errors[]` with a FORMAT_DECLARATION_DIVERGENT advisory first for each product
 * (by its place in `products`, the answer as sent) whose format_ids and format_options disagree;
 * nothing when there are no errors at all.
 */
export function withFormatAdvisories(
  errors: AdcpErrorObject[] | undefined,
  products: readonly WireProduct[],
): { errors?: AdcpErrorObject[] } {
  const advisories: AdcpErrorObject[] = formatDivergences(products);
  const all = [...advisories, ...(errors ?? [])];
  return all.length > 0 ? { errors: all } : {};
}
