/**
 * Buyer reporting (seed 004; issue 15): summary, timeseries and signed CSV downloads over what
 * sellers reported (module delivery). A read-mostly module: it owns no table and reads, read-only
 * through queries it owns (store.ts), delivery_daily and delivery_rollup (delivery), campaigns
 * and campaign_media_buys (campaigns), advertisers (advertisers) and logged_events
 * (event-sources).
 */
export { createReportingService, outcomeEventTypes } from './service.js';
export type { ReportingService, ReportingDeps } from './service.js';
export { reportingRoutes, registerReportDownloads } from './routes.js';
