/**
 * Rate cards: a storefront's seller pricing facts (hosted `compositionPricing`,
 * StorefrontPricingFact), matched by their hints when get_products prices products for a buyer;
 * `priceForBuyer` is the one place a buyer's price is settled (default, discount, ceiling,
 * hard floor).
 */
export { createRateCardsService, maxFactsPerCard } from './service.js';
export type { RateCardsService } from './service.js';
export { rateCardRoutes } from './routes.js';
export { buyerAskOf, packageAskOf, type BuyerAsk } from './match.js';
export { hardFloorOf, priceForBuyer, type BuyerPricing, type RateCard } from './price.js';
export {
  compositionPricingBody,
  compositionPricingSchema,
  type CompositionPricing,
  type CompositionPricingInput,
  type PricingFact,
  pricingModels,
} from './schemas.js';
