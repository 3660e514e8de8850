/**
 * Storefront agents: the storefront's inventory sources seen as AdCP agents (hosted
 * /storefront/agents). Owns no tables: reads sources and the caller's credentials through
 * their services, and re-probes through inventory-sources' probe path.
 */
export { createStorefrontAgentsService } from './service.js';
export type { StorefrontAgentsService } from './service.js';
export { storefrontAgentRoutes } from './routes.js';
