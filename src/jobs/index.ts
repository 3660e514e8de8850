// Background work on the job queue (src/platform/jobs): status sync, delivery import, formats refresh,
// modular holds expiring.
export { createMediaBuySync, type MediaBuySync } from './media-buy-sync.js';
export { createDeliveryImportJobs, type DeliveryImportSchedule } from './delivery-import.js';
export { createFormatRefresher } from './formats-refresh.js';
export { createHoldExpiryJobs, type HoldExpirySchedule } from './modular-holds.js';
