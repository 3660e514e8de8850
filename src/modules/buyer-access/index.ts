/**
 * Buyer access: browsing storefronts, interest, and credentials per source. Reads storefronts and
 * inventory sources through their services; owns buyer_credentials and buyer_interest.
 */
export { createBuyerAccessService } from './service.js';
export type { BuyerAccessService } from './service.js';
export { buyerAccessRoutes } from './routes.js';
