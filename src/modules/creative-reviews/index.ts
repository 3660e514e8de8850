/**
 * Creatives buyers sync through a storefront's agent, and the operator's creative-review queue
 * (manual review mode): one review queue of the kind media-buy approvals use
 * (modules/orders), whose approvals forward the creative to its sources through the agent.
 */
export { createCreativeReviewsService } from './service.js';
export type { CreativeForwarder, CreativeRecords, CreativeReviewsService } from './service.js';
export { creativeReviewRoutes } from './routes.js';
export type { CreativeRow } from './store.js';
export type { CreativeStatus } from './tables.js';
