/**
 * Orders: the media buys storefront agents took from buyers, and the operator's approval queue
 * (docs/architecture.md, "Buys: the words"). The queue is
 * one review queue (review-queue.ts) over one store (review-store.ts), which the creative-review
 * queue (modules/creative-reviews) reuses; so do the forwarding legs a decision records. Outcome
 * events go to the event log, modules/merchandising-events.
 */
export { createMediaBuysService } from './service.js';
export type {
  DecisionHandler,
  ForwardSummary,
  MediaBuyRecords,
  MediaBuysService,
} from './service.js';
export { mediaBuyApprovalRoutes } from './routes.js';
export type { MediaBuyRow } from './store.js';
export type {
  ApprovalStatus,
  ForwardLeg,
  ForwardOutcome,
  StoredAssignment,
  SubmittedBuy,
  SubmittedPackage,
} from './tables.js';
export {
  expandPackaged,
  flightProblem,
  flightStartOf,
  placedAtOf,
  routePackages,
} from './lifecycle.js';
export type { Package } from './lifecycle.js';
export { forwardedAtOf } from './forward-summary.js';
export { reviewQueue } from './review-queue.js';
export { decidePending, listQueue, type QueueDecision, type StoredQueue } from './review-store.js';
export { approvalStatusQuery, reviewedSubmission } from './schemas.js';
