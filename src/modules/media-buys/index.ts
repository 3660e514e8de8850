/** Media buys and creatives placed through storefront agents, and the operator's review queues. */
export { createMediaBuysService } from './service.js';
export type {
  DecisionHandler,
  ForwardSummary,
  MediaBuyRecords,
  MediaBuysService,
} from './service.js';
export { mediaBuyApprovalRoutes } from './routes.js';
export type { MediaBuyRow, CreativeRow } from './store.js';
export type {
  ForwardLeg,
  ForwardOutcome,
  MerchandisingEvent,
  SubmittedBuy,
  SubmittedPackage,
} from './tables.js';
export { expandPackaged, flightProblem, routePackages } from './lifecycle.js';
export type { Package } from './lifecycle.js';
