/**
 * Delivery import (issue 15): what sellers report placed media buys delivered, per (buy,
 * package, day), replaced never added (delivery_daily), and summed per third of a month
 * (delivery_rollup, kept by the database's triggers on delivery_daily). It reads the campaigns
 * module's campaigns and campaign_media_buys read-only (read-models.ts) and writes only its own
 * tables. The job queue schedule is in src/jobs/delivery-import.ts; reporting reads
 * delivery_daily and delivery_rollup with SQL of its own (src/modules/reporting/store.ts).
 */
export { createDeliveryService, deliveryGraceMs, isRetryableImportFailure } from './service.js';
export type { DeliveryService, ImportOutcome } from './service.js';
export { deliveryRoutes } from './routes.js';
export { deliveryMetrics, type Metrics, type MetricKey } from './metrics.js';
export type { PackageTotals } from './package-totals-store.js';
export type { SpendOf } from './spend-store.js';
