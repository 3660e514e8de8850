/**
 * Seller analytics: discovery-run mix, buyer asks, last-touch attributed outcomes, the posture
 * history recommends (the decision table is modules/postures) and coaching; intelligence runs
 * and reporting. A read-mostly module: it reads other modules' tables read-only through queries
 * it owns (read-models.ts: discovery_runs of discovery-runs, merchandising_events of
 * merchandising-events), reads the storefront's media buys through modules/order-views,
 * and writes only its own tables (run postures and left-out products, posture acceptances,
 * the outcome rollup).
 */
export { createSellerAnalyticsService } from './service.js';
export type { SellerAnalyticsService } from './service.js';
export {
  registerStorefrontReportDownloads,
  sellerAnalyticsRoutes,
  storefrontReportingRoutes,
} from './routes.js';
export type { SellerAnalytics } from './insights/payload.js';
