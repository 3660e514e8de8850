import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';

type WireProduct = GetProductsResponse['products'][number];

/**
 * AdCP 3.1's `filters.is_fixed_price` (core/product-filters.json), applied over every source's
 * products: true keeps the products offering a fixed price (an option with `fixed_price`), false
 * those offering auction pricing (an option without), and each keeps only its options of that
 * kind, as 3.1 requires "so buyers can deterministically select from the returned options". A
 * source's own filtering is not relied on: the sandbox's and many 3.0 sellers' ignore it.
 */
export function withPricingType<P extends WireProduct>(
  products: P[],
  filters: GetProductsRequest['filters'],
): P[] {
  const wanted = filters?.is_fixed_price;
  if (typeof wanted !== 'boolean') return products;
  return products.flatMap((product) => {
    const options = (product.pricing_options ?? []).filter((option) => isFixed(option) === wanted);
    return options.length > 0 ? [{ ...product, pricing_options: options }] : [];
  });
}

const isFixed = (option: object) =>
  typeof (option as { fixed_price?: unknown }).fixed_price === 'number';
