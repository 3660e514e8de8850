import type { Product } from './types.js';

type PricingOption = Product['pricing_options'][number];

/**
 * Buyer-instruction discount, applied to every product a storefront shows a buyer (composition
 * and passthrough alike). What exactly happens, with `percent` the MAX discountPercent across
 * the buyer-instruction rows matching the buyer (buyer-instructions' resolve):
 *
 * - every pricing option (any pricing model) with a `fixed_price` gets
 *   `fixed_price × (1 − percent/100)`, rounded to cents, and a `price_breakdown` that shows the
 *   way there: the upstream's breakdown extended with one `discount` adjustment (rate
 *   percent/100, name `negotiated`), or a new one whose `list_price` is the upstream price;
 * - every `floor_price` (auction floor) is lowered by the same percent, rounded to cents; its
 *   breakdown, if any, is left alone (AdCP ties breakdowns to fixed prices only);
 * - `price_guidance`, `min_spend_per_package`, currency and ids are untouched, and nothing
 *   changes when there is no matching row, or its discount is 0 or null.
 *
 * A 100% discount would make the rate 0 and the AdCP adjustment rate 1 (outside its range), so
 * the discount is capped at 99.99%.
 */
export function applyDiscount(products: Product[], percent: number | null): Product[] {
  if (percent === null || percent <= 0) return products;
  const rate = Math.min(percent, 99.99) / 100;
  return products.map((product) => ({
    ...product,
    pricing_options: product.pricing_options.map((option) => discounted(option, rate)),
  }));
}

function discounted(option: PricingOption, rate: number): PricingOption {
  const next = { ...option } as PricingOption & {
    fixed_price?: number;
    floor_price?: number;
    price_breakdown?: { list_price: number; adjustments: Record<string, unknown>[] };
  };
  if (typeof next.fixed_price === 'number') {
    const listPrice = next.price_breakdown?.list_price ?? next.fixed_price;
    next.price_breakdown = {
      list_price: listPrice,
      adjustments: [
        ...(next.price_breakdown?.adjustments ?? []),
        {
          kind: 'discount',
          name: 'negotiated',
          rate: round4(rate),
          description: 'Storefront buyer-instruction discount',
        },
      ],
    };
    next.fixed_price = cents(next.fixed_price * (1 - rate));
  }
  if (typeof next.floor_price === 'number') next.floor_price = cents(next.floor_price * (1 - rate));
  return next;
}

const cents = (value: number): number => Math.round(value * 100) / 100;
const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
