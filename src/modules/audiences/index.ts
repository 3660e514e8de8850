/**
 * An advertiser's first-party audiences (seed 004; hosted syncAudiences and listAudiences; AdCP
 * sync_audiences): hashed members only, synced as durable tasks (the `audiences.sync` job) that
 * reach every agent the buyer uses that takes audiences. Campaigns reach it through the
 * CampaignAudiencesPort (`campaignPort`) for audienceConfig and audience sync tasks.
 */
export { createAudiencesService } from './service.js';
export type { AudiencesService, AudiencesDeps } from './service.js';
export { audienceRoutes } from './routes.js';
export { createConversionForwarding } from './conversions.js';
export { withCapabilityCache, capabilityTtlMs } from './capability-cache.js';
