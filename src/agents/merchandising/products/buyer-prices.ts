import { applyDiscount } from '../../../modules/buyer-instructions/index.js';
import type { QuoteRecord } from '../../../modules/discovery-runs/index.js';
import { type BuyerAsk, priceForBuyer, type RateCard } from '../../../modules/rate-cards/index.js';
import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import type { MerchandisingDeps } from '../deps.js';
import type { Product } from '../types.js';

/** The terms a buyer's prices are settled under: the rate card, its discount, what it asked. */
export interface BuyerTerms {
  rateCard: RateCard;
  discountPercent: number | null;
  ask: BuyerAsk;
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
  return priceForBuyer(shaped, terms.rateCard, {
    ask: terms.ask,
    discount: (shown) => applyDiscount(shown, terms.discountPercent),
    storefrontCurrency: storefront.defaultCurrency,
  });
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
