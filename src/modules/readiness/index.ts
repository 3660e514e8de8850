/**
 * Readiness: whether a storefront can go live. Read-only over storefronts, inventory sources,
 * operating instructions and activity, through their services; it owns no tables.
 */
export { createReadinessService } from './service.js';
export type { ReadinessService } from './service.js';
export { readinessRoutes } from './routes.js';
