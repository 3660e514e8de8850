/**
 * Buyer discovery (issue 14): a buyer's discovery sessions over every storefront agent it may
 * use, their per-agent answers and the products selected. Not to be confused with
 * discovery-runs, the seller-side record of what storefront agents answered. Agents are reached
 * through the BuyingAgents port (wired in services.ts); campaigns read selections through
 * `selectedProducts`.
 */
export { createDiscoveryService } from './service.js';
export type { DiscoveryService, DiscoveryDeps, SelectedProduct } from './service.js';
export type { BuyingAgent, BuyingAgents } from './agents-port.js';
export type { CampaignRefs } from './campaigns-port.js';
export type { DiscoveredProduct } from './tables.js';
export { isAuctionOption } from './products.js';
export { discoveryRoutes } from './routes.js';
