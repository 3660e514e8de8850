/**
 * AdCP performance feedback (issue 32): provide_performance_feedback sent to the seller of each
 * placed buy of a campaign with an event goal, once per UTC day, from the conversion events the
 * buyer logged (modules/event-sources) and the spend the seller reported (modules/delivery),
 * read through those modules (and campaigns' port for the buys), never their tables. The
 * schedule is in src/jobs/performance-feedback.ts.
 */
export { createPerformanceFeedbackService, periodBefore } from './service.js';
export type {
  FeedbackOutcome,
  PerformanceFeedbackDeps,
  PerformanceFeedbackService,
} from './service.js';
