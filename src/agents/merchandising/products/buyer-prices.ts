import { applyDiscount } from '../../../modules/buyer-instructions/index.js';
import type { QuoteRecord } from '../../../modules/discovery-runs/index.js';
import { type BuyerAsk, priceForBuyer, type RateCard } from '../../../modules/rate-cards/index.js';
import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import type { InventorySource } from '../../../sources/port.js';
import type { MerchandisingDeps } from '../deps.js';
import type { Product } from '../types.js';

/** The terms a buyer's prices are settled under: the rate card, its discount, what it asked. */
export interface BuyerTerms {
  rateCard: RateCard;
  discountPercent: number | null;
  ask: BuyerAsk;
  /**
   * The sources that book their own fixed price, not one the storefront quotes (an AdCP agent:
   * `InventorySource.booksQuotedPrice` absent): their fixed prices are shown as they quote them.
   */
  ownFixedPrices?: ReadonlySet<string>;
}

/**
 * The prices a buyer is shown, the one way both get_products (composition.ts) and a buy priced
 * again (buys/describe/quote.ts) settle them: product rules shape (composition storefronts),
 * then the rate card's defaults, the buyer's discount, its ceilings and hard floors
 * (rate-cards/price.ts). Postures only order and cut afterwards, never reprice.
 */
export async function pricedForBuyer(
  deps: Pick<MerchandisingDeps, 'productRules'>,
  storefront: StorefrontRow,
  products: Product[],
  terms: BuyerTerms,
): Promise<Product[]> {
  let shaped = products;
  if (deps.productRules && storefront.storefrontType === 'composition') {
    shaped = await deps.productRules.shape(storefront.id, shaped);
  }
  const priced = priceForBuyer(shaped, terms.rateCard, {
    ask: terms.ask,
    discount: (shown) => applyDiscount(shown, terms.discountPercent),
    storefrontCurrency: storefront.defaultCurrency,
  });
  const own = terms.ownFixedPrices;
  if (!own || own.size === 0) return priced;
  const answered = new Map(products.map((product) => [product.product_id, product]));
  return priced.flatMap((product) =>
    own.has(sourceOf(product) ?? '')
      ? asSourceBooks(product, answered.get(product.product_id))
      : [product],
  );
}

/** The ids of `sources` that book their own fixed price (`booksQuotedPrice` absent). */
export const ownFixedPricesOf = (sources: readonly InventorySource[]): Set<string> =>
  new Set(sources.flatMap((port) => (port.booksQuotedPrice ? [] : [port.source.sourceId])));

const sourceOf = (product: Product): string | undefined => {
  const interchange = (product.ext as { interchange?: { source_id?: unknown } } | undefined)
    ?.interchange;
  return typeof interchange?.source_id === 'string' ? interchange.source_id : undefined;
};

/**
 * A storefront shows only prices its sources can book. A source that books its own fixed price
 * (AdCP carries no fixed price to an agent) has each fixed-price option shown as it quotes it:
 * no buyer discount, markup or ceiling moves it. One under the rate card's hard floor can be
 * sold neither at the floor nor under it, so it is left out (and the product, with no option
 * left). Auction floors keep the storefront's pricing (the bid carries it to the source), never
 * under the source's own floor.
 */
function asSourceBooks(shown: Product, answered: Product | undefined): Product[] {
  if (!answered) return [shown];
  const options: Product['pricing_options'] = [];
  for (const option of shown.pricing_options as Option[]) {
    const own = (answered.pricing_options as Option[]).find(
      (o) => o.pricing_option_id === option.pricing_option_id,
    );
    if (typeof option.fixed_price !== 'number' || typeof own?.fixed_price !== 'number') {
      // A bid under the source's own floor it would refuse: the floor shown is never under it.
      const floor = own?.floor_price;
      const under = typeof floor === 'number' && (option.floor_price ?? floor) < floor;
      options.push(under ? { ...option, floor_price: floor } : option);
      continue;
    }
    const floored = option.price_breakdown?.adjustments?.some(
      (step) => step['name'] === 'rate_card_floor',
    );
    if (floored && own.fixed_price < option.fixed_price) continue;
    options.push(own);
  }
  return options.length === 0 ? [] : [{ ...shown, pricing_options: options }];
}

type Option = Product['pricing_options'][number] & {
  fixed_price?: number;
  floor_price?: number;
  currency?: string;
  price_breakdown?: { list_price?: number; adjustments?: Record<string, unknown>[] };
};

/** One shown option as its quote, beside the option as its source answered it (if it did). */
export function quoteOfOption(shown: Option, answered: Option | undefined): QuoteRecord {
  const fixed = typeof shown.fixed_price === 'number';
  const sourcePrice = answered && (fixed ? answered.fixed_price : answered.floor_price);
  return {
    kind: fixed ? 'fixed' : 'auction',
    pricingModel: shown.pricing_model,
    currency: shown.currency ?? null,
    price: (fixed ? shown.fixed_price : shown.floor_price) ?? null,
    listPrice: typeof sourcePrice === 'number' ? sourcePrice : null,
    adjustments: shown.price_breakdown?.adjustments ?? [],
  };
}

/**
 * The quotes of the products an answer shows, each option by its id, beside the products as the
 * sources answered them (by storefront product id): what a discovery run keeps.
 */
export function quotesOf(
  shown: readonly Product[],
  answered: readonly Product[],
): Record<string, Record<string, QuoteRecord>> {
  const asAnswered = new Map(answered.map((product) => [product.product_id, product]));
  const quotes: Record<string, Record<string, QuoteRecord>> = {};
  for (const product of shown) {
    const own = asAnswered.get(product.product_id)?.pricing_options ?? [];
    const options: Record<string, QuoteRecord> = {};
    for (const option of product.pricing_options as Option[]) {
      const source = (own as Option[]).find(
        (o) => o.pricing_option_id === option.pricing_option_id,
      );
      options[option.pricing_option_id] = quoteOfOption(option, source);
    }
    quotes[product.product_id] = options;
  }
  return quotes;
}
