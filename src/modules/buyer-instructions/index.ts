/** Buyer instructions: per-buyer tailoring (discount, notes, countries) of a storefront's composition. */
export { createBuyerInstructionsService } from './service.js';
export type { BuyerInstructionsService, ResolvedBuyerInstructions } from './service.js';
export { buyerInstructionRoutes } from './routes.js';
export type { BuyerIdentity } from './matching.js';
export type { BuyerInstruction } from './schemas.js';
export { applyDiscount } from './discount.js';
