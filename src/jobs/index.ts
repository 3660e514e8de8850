// Background work on the job queue (src/platform/jobs): status sync, delivery import, formats
// refresh, modular holds expiring, recovery of seller writes, compliance runs and publisher
// authorization.
export { createMediaBuySync, type MediaBuySync } from './media-buy-sync.js';
export { createDeliveryImportJobs, type DeliveryImportSchedule } from './delivery-import.js';
export { createFormatRefresher } from './formats-refresh.js';
export { createHoldExpiryJobs, type HoldExpirySchedule } from './modular-holds.js';
export { createSellerWriteRecovery, type SellerWriteRecovery } from './seller-write-recovery.js';
export { createComplianceJobs, type ComplianceSchedule } from './compliance-runs.js';
export { createAuthorizationJobs, type AuthorizationSchedule } from './publisher-authorization.js';
export { createProviderTokenRefreshJobs } from './provider-token-refresh.js';
export { createSignalActivationJobs, type SignalActivationFollowUp } from './signal-activations.js';
export { createOptimizationJobs, type OptimizationJobs } from './optimization.js';
export {
  createPerformanceFeedbackJobs,
  type PerformanceFeedbackJobs,
} from './performance-feedback.js';
export { createAudioProductionJobs } from './audio-productions.js';
export { createRetentionJobs, type RetentionSchedule } from './retention.js';
export {
  createNotificationSweep,
  type NotificationSweep,
  type ScheduledEvents,
} from './notifications/sweep.js';
export { createNotificationWebhooks, hmacHeaderOf } from './notifications/webhooks.js';
