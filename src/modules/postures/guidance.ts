import type { GetProductsResponse } from '@adcp/sdk/types';
import type { Posture } from './vocabulary.js';

type Product = GetProductsResponse['products'][number];
type PricingOption = Product['pricing_options'][number];

/**
 * What a negotiation posture changes in a get_products answer (docs/seller-analytics.md,
 * "Postures in get_products"): how many products are shown when the buyer did not page, in what
 * order, whether each product's cheapest pricing option comes first, and whether packaged
 * products lead. Prices themselves are never changed here: rules and buyer instructions price.
 */
export interface PostureGuidance {
  /** Products shown at most; null shows every product. */
  productCount: number | null;
  order: 'as_composed' | 'cheapest_first';
  cheapestOptionFirst: boolean;
  packagesFirst: boolean;
}

export const postureGuidance: Readonly<Record<Posture, PostureGuidance>> = {
  direct_fit: {
    productCount: 5,
    order: 'as_composed',
    cheapestOptionFirst: false,
    packagesFirst: false,
  },
  hold_value: {
    productCount: 10,
    order: 'as_composed',
    cheapestOptionFirst: false,
    packagesFirst: false,
  },
  value_preserving_compromise: {
    productCount: 10,
    order: 'as_composed',
    cheapestOptionFirst: false,
    packagesFirst: true,
  },
  tradeoff_ladder: {
    productCount: 15,
    order: 'cheapest_first',
    cheapestOptionFirst: true,
    packagesFirst: true,
  },
  price_first: {
    productCount: 10,
    order: 'cheapest_first',
    cheapestOptionFirst: true,
    packagesFirst: false,
  },
  wholesale_mirror: {
    productCount: null,
    order: 'as_composed',
    cheapestOptionFirst: false,
    packagesFirst: false,
  },
};

/** A pricing option's price for ordering: its fixed price, else its auction floor. */
function priceOf(option: PricingOption): number | undefined {
  const o = option as { fixed_price?: number; floor_price?: number };
  return typeof o.fixed_price === 'number'
    ? o.fixed_price
    : typeof o.floor_price === 'number'
      ? o.floor_price
      : undefined;
}

/** The product's cheapest price; products without a price sort after every priced one. */
function lowestPrice(product: Product): number {
  const prices = product.pricing_options.flatMap((o) => {
    const p = priceOf(o);
    return p === undefined ? [] : [p];
  });
  return prices.length > 0 ? Math.min(...prices) : Number.POSITIVE_INFINITY;
}

const isPackage = (product: Product) =>
  Array.isArray(
    (
      (product.ext as Record<string, unknown> | undefined)?.['interchange'] as
        { packaged?: unknown } | undefined
    )?.packaged,
  );

/**
 * The products as the posture presents them (pure; inputs untouched). `buyerChoosesCount`
 * (the buyer paged, refines named products or asked for the wholesale catalog) keeps every
 * product: the posture then only orders. Sorting is stable, so ties keep the composed order.
 */
export function presentForPosture<P extends Product>(
  products: P[],
  posture: Posture | null,
  options: { buyerChoosesCount: boolean },
): P[] {
  if (!posture) return products;
  const guidance = postureGuidance[posture];
  let shown = products.map((product) =>
    guidance.cheapestOptionFirst
      ? {
          ...product,
          pricing_options: [...product.pricing_options].sort(
            (a, b) =>
              (priceOf(a) ?? Number.POSITIVE_INFINITY) - (priceOf(b) ?? Number.POSITIVE_INFINITY),
          ),
        }
      : product,
  );
  if (guidance.order === 'cheapest_first')
    shown = [...shown].sort((a, b) => lowestPrice(a) - lowestPrice(b));
  if (guidance.packagesFirst)
    shown = [...shown].sort((a, b) => Number(isPackage(b)) - Number(isPackage(a)));
  if (!options.buyerChoosesCount && guidance.productCount !== null)
    shown = shown.slice(0, guidance.productCount);
  return shown;
}
