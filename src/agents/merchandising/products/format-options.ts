import type { GetProductsResponse } from '@adcp/sdk/types';
import { formatDivergences, formatOptionsOfProduct } from '../../adcp31/index.js';
import type { AdcpErrorObject } from '../types.js';

type WireProduct = GetProductsResponse['products'][number];

/**
 * AdCP 3.1's canonical formats beside each product's format_ids (3.1 callers only): a 3.1
 * source's own `format_options` are kept; otherwise they are projected from the format_ids
 * through the spec's v1 → v2 mapping, and left out when any format has no projection. Every
 * option carries a stable product-local `format_option_id` (adcp31/formats/option-ids.ts), the
 * one a package's `format_option_refs` names on create_media_buy.
 */
export function withFormatOptions<P extends WireProduct>(products: P[]): P[] {
  return products.map((product) => {
    const options = formatOptionsOfProduct(product);
    if (!options) return product;
    if (!Array.isArray((product as { format_options?: unknown }).format_options)) {
      return { ...product, format_options: options };
    }
    // A product declaring canonical formats only carries no format_ids for 3.1 (product.json
    // takes either; an empty list is what a 3.0 answer needs in their place).
    const { format_ids: formatIds, ...rest } = product;
    return (
      formatIds?.length !== 0
        ? { ...product, format_options: options }
        : { ...rest, format_options: options }
    ) as P;
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
