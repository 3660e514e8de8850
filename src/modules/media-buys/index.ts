/**
 * Media buys placed through storefront agents and the operator's approval queue; the creatives
 * buyers sync through them and the creative-review queue (creative-reviews.ts), both queues on
 * one queue (review-queue.ts) over one store (review-store.ts). Outcome events go to the event
 * log, modules/merchandising-events.
 */
export { createMediaBuysService } from './service.js';
export type {
  DecisionHandler,
  ForwardSummary,
  MediaBuyRecords,
  MediaBuysService,
} from './service.js';
export { mediaBuyApprovalRoutes } from './routes.js';
export type { MediaBuyRow, CreativeRow } from './store.js';
export type { ForwardLeg, ForwardOutcome, SubmittedBuy, SubmittedPackage } from './tables.js';
export { expandPackaged, flightProblem, routePackages } from './lifecycle.js';
export type { Package } from './lifecycle.js';
