/** Storefronts: each SELLER customer's buyer-facing storefront, its profile and marketplace review. */
export { createStorefrontsService } from './service.js';
export type { StorefrontsService, ReadinessVerdict } from './service.js';
export { storefrontSellerRoutes } from './routes/seller.js';
export { storefrontAdminRoutes } from './routes/admin.js';
export { discoveryCardOf, type SourceCoverage } from './views.js';
export { agentIdOf, isStorefrontAgentId, platformIdOfAgent } from './agent-id.js';
export type { StorefrontRow } from './store.js';
export type { StorefrontView } from './schemas.js';
export { discoveryCardSchema, displayStatuses, mediaChannels } from './schemas.js';
export { adcpChannelsOf } from './channels.js';
export { type OverdeliveryBilling, overdeliveryBillings } from './billing.js';
