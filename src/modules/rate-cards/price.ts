import type { GetProductsResponse } from '@adcp/sdk/types';
import { cents, type PricedOption, withAdjustments } from '../../platform/pricing.js';
import { type BuyerAsk, factMatch, productTextOf } from './match.js';
import type { PricingFact } from './schemas.js';

type Product = GetProductsResponse['products'][number];
type PricingOption = Product['pricing_options'][number];
type Option = PricingOption & PricedOption & { currency?: string };

/** What get_products prices with (RateCardsService.rateCardOf). */
export interface RateCard {
  /** The card's currency; null falls back to the storefront's defaultCurrency. */
  currency: string | null;
  facts: PricingFact[];
}

/** What the buyer's terms and the storefront add to the rate card for one answer. */
export interface BuyerPricing {
  ask: BuyerAsk;
  /**
   * The buyer's discount (buyer instructions' applyDiscount at the buyer's percent), passed in
   * so this module needs none of buyer-instructions (storefronts reads rate cards).
   */
  discount: <P extends Product>(products: P[]) => P[];
  /** The storefront's defaultCurrency: the currency of facts that name none. */
  storefrontCurrency: string | null;
}

interface Applicable {
  fact: PricingFact;
  specificity: number;
}

/** A fact prices an option of its pricing model in its currency (no conversion is made). */
function pricesOption(fact: PricingFact, option: Option, cardCurrency: string | null): boolean {
  if (option.pricing_model !== fact.pricing.pricingModel) return false;
  const currency = fact.pricing.currency ?? cardCurrency;
  return currency === null || option.currency === undefined || option.currency === currency;
}

/**
 * The one place a price the buyer sees is settled, after the sources answered and product rules
 * shaped (markup, floor, packages):
 * 1. `default` facts set the price where the source gave none (an auction option without a
 *    floor gets the most specific matching fact's targetPrice as its floor);
 * 2. the buyer's discount (buyer instructions) is applied;
 * 3. ceilings of matching non-guidance facts lower a price above them;
 * 4. `hard_floor` facts raise every fixed price and auction floor below the highest matching
 *    floor (floorPrice, else targetPrice) back to it, with a `fee` adjustment in the breakdown.
 * Postures only order and cut (postures module), never reprice, so nothing after this step can
 * undercut a hard floor. Each product carries the facts that matched it under
 * `ext.interchange.rate_card` (guidance facts are shown there only). Pure; inputs untouched.
 */
export function priceForBuyer<P extends Product>(
  products: P[],
  card: RateCard,
  buyer: BuyerPricing,
): P[] {
  if (card.facts.length === 0) return buyer.discount(products);
  const currency = card.currency ?? buyer.storefrontCurrency;
  const applicable = new Map<string, Applicable[]>();
  const defaulted = products.map((product) => {
    const text = productTextOf(product);
    const matched = card.facts.flatMap((fact): Applicable[] => {
      const specificity = factMatch(fact, product, text, buyer.ask);
      return specificity === null ? [] : [{ fact, specificity }];
    });
    applicable.set(product.product_id, matched);
    const defaults = matched
      .filter((m) => m.fact.strength === 'default')
      .sort((a, b) => b.specificity - a.specificity);
    if (defaults.length === 0) return product;
    return {
      ...product,
      pricing_options: product.pricing_options.map((option) => {
        const o = option as Option;
        if (typeof o.fixed_price === 'number' || typeof o.floor_price === 'number') return option;
        const fact = defaults.find((d) => pricesOption(d.fact, o, currency))?.fact;
        const target = fact?.pricing.targetPrice;
        return target === undefined ? option : ({ ...o, floor_price: target } as PricingOption);
      }),
    };
  });
  return buyer.discount(defaulted).map((product) => {
    const matched = applicable.get(product.product_id) ?? [];
    if (matched.length === 0) return product;
    const bounding = matched.filter((m) => m.fact.strength !== 'guidance').map((m) => m.fact);
    return {
      ...product,
      pricing_options: product.pricing_options.map((option) =>
        bounded(option as Option, bounding, currency),
      ),
      ext: withRateCard(product.ext, matched),
    };
  });
}

/** One option within the matching facts' ceiling and hard floor (the floor wins). */
function bounded(option: Option, facts: PricingFact[], currency: string | null): PricingOption {
  const own = facts.filter((fact) => pricesOption(fact, option, currency));
  const ceilings = own.flatMap((f) =>
    f.pricing.ceilingPrice === undefined ? [] : [f.pricing.ceilingPrice],
  );
  const floors = own.flatMap((f) => {
    const floor =
      f.strength === 'hard_floor' ? (f.pricing.floorPrice ?? f.pricing.targetPrice) : undefined;
    return floor === undefined ? [] : [floor];
  });
  if (ceilings.length === 0 && floors.length === 0) return option;
  let next: Option = { ...option };
  const listPrice = next.fixed_price;
  const steps: Record<string, unknown>[] = [];
  const ceiling = ceilings.length > 0 ? Math.min(...ceilings) : undefined;
  if (ceiling !== undefined) {
    if (typeof next.fixed_price === 'number' && next.fixed_price > ceiling) {
      steps.push(
        adjustment(
          'discount',
          'rate_card_ceiling',
          next.fixed_price - ceiling,
          'Lowered to the rate card ceiling',
        ),
      );
      next.fixed_price = ceiling;
    }
    if (typeof next.floor_price === 'number' && next.floor_price > ceiling)
      next.floor_price = ceiling;
  }
  const floor = floors.length > 0 ? Math.max(...floors) : undefined;
  if (floor !== undefined) {
    if (typeof next.fixed_price === 'number') {
      if (next.fixed_price < floor) {
        steps.push(
          adjustment(
            'fee',
            'rate_card_floor',
            floor - next.fixed_price,
            `Raised to the rate card's hard floor of ${floor}`,
          ),
        );
        next.fixed_price = floor;
      }
    } else if (next.floor_price === undefined || next.floor_price < floor) {
      next.floor_price = floor;
    }
  }
  next = withAdjustments(next, listPrice, steps);
  return next as PricingOption;
}

const adjustment = (
  kind: 'fee' | 'discount',
  name: string,
  amount: number,
  description: string,
) => ({
  kind,
  name,
  amount: cents(amount),
  description,
});

/** The matched facts, for the buyer and the seller's analytics, under `ext.interchange`. */
function withRateCard(ext: Product['ext'], matched: Applicable[]): Product['ext'] {
  const interchange = (ext as Record<string, unknown> | undefined)?.['interchange'];
  return {
    ...ext,
    interchange: {
      ...(interchange as Record<string, unknown> | undefined),
      rate_card: matched.map(({ fact }) => ({
        fact_id: fact.id,
        label: fact.label,
        strength: fact.strength,
        pricing_model: fact.pricing.pricingModel,
        ...(fact.pricing.targetPrice !== undefined && { target_price: fact.pricing.targetPrice }),
        ...(fact.pricing.floorPrice !== undefined && { floor_price: fact.pricing.floorPrice }),
        ...(fact.pricing.ceilingPrice !== undefined && {
          ceiling_price: fact.pricing.ceilingPrice,
        }),
      })),
    },
  };
}

/**
 * The hard floor the card holds one pricing option of a product to for this ask (the highest
 * matching `hard_floor` fact's floorPrice, else targetPrice), or undefined when none applies.
 * The same matching as the answer's (priceForBuyer): create_media_buy recomputes it, since the
 * storefront keeps no price it showed.
 */
export function hardFloorOf(
  product: Product,
  pricingOptionId: string,
  card: RateCard,
  buyer: Pick<BuyerPricing, 'ask' | 'storefrontCurrency'>,
): number | undefined {
  const option = product.pricing_options.find((o) => o.pricing_option_id === pricingOptionId);
  if (!option) return undefined;
  const currency = card.currency ?? buyer.storefrontCurrency;
  const text = productTextOf(product);
  const floors = card.facts.flatMap((fact) => {
    if (fact.strength !== 'hard_floor') return [];
    if (!pricesOption(fact, option as Option, currency)) return [];
    if (factMatch(fact, product, text, buyer.ask) === null) return [];
    const floor = fact.pricing.floorPrice ?? fact.pricing.targetPrice;
    return floor === undefined ? [] : [floor];
  });
  return floors.length > 0 ? Math.max(...floors) : undefined;
}
