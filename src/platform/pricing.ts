/**
 * Price arithmetic shared by everything that reprices an AdCP pricing option (product rules'
 * markup and floor, buyer instructions' discount): amounts in the option's currency, rounded to
 * cents, and the `price_breakdown` that shows the way from the list price.
 */
export interface PriceBreakdown {
  list_price: number;
  adjustments: Record<string, unknown>[];
}

/** The parts of an AdCP pricing option a repricing reads and writes. */
export interface PricedOption {
  pricing_model?: string;
  fixed_price?: number;
  floor_price?: number;
  price_breakdown?: PriceBreakdown;
}

export const cents = (value: number): number => Math.round(value * 100) / 100;
/** AdCP adjustment rates have four decimals at most. */
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * `option` with `adjustments` appended to its breakdown: the upstream breakdown extended, or a
 * new one whose list price is the price the option had before any of them (`listPrice`). AdCP
 * ties a breakdown to a fixed price and wants its list price above zero: without one, the
 * option is returned as it is.
 */
export function withAdjustments<T extends PricedOption>(
  option: T,
  listPrice: number | undefined,
  adjustments: Record<string, unknown>[],
): T {
  if (adjustments.length === 0 || typeof listPrice !== 'number' || listPrice <= 0) return option;
  return {
    ...option,
    price_breakdown: {
      list_price: option.price_breakdown?.list_price ?? listPrice,
      adjustments: [...(option.price_breakdown?.adjustments ?? []), ...adjustments],
    },
  };
}
