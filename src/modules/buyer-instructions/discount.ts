import type { GetProductsResponse } from '@adcp/sdk/types';
import { cents, type PricedOption, round4, withAdjustments } from '../../platform/pricing.js';

type Product = GetProductsResponse['products'][number];
type PricingOption = Product['pricing_options'][number];

/**
 * The buyer-instruction discount, applied to every product a storefront shows a buyer
 * (composition and passthrough alike), with `percent` the MAX discountPercent of the rows
 * matching the buyer (`resolve`):
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
export function applyDiscount<P extends Product>(products: P[], percent: number | null): P[] {
  if (percent === null || percent <= 0) return products;
  const rate = Math.min(percent, 99.99) / 100;
  return products.map((product) => ({
    ...product,
    pricing_options: product.pricing_options.map((option) => discounted(option, rate)),
  }));
}

function discounted(option: PricingOption, rate: number): PricingOption {
  let next = { ...option } as PricingOption & PricedOption;
  if (typeof next.fixed_price === 'number') {
    const listPrice = next.fixed_price;
    next = withAdjustments(next, listPrice, [
      {
        kind: 'discount',
        name: 'negotiated',
        rate: round4(rate),
        description: 'Storefront buyer-instruction discount',
      },
    ]);
    next.fixed_price = cents(listPrice * (1 - rate));
  }
  if (typeof next.floor_price === 'number') next.floor_price = cents(next.floor_price * (1 - rate));
  return next;
}
