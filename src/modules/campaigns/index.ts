/**
 * Campaigns and their media buys (seed 004, issue 14): campaigns book the products selected in
 * a discovery session as one media buy per storefront agent, through the BuyingAgents port.
 * Statuses and the one table mapping sellers' AdCP statuses onto them: status/statuses.ts.
 * Status sync (item 4) applies what it learns through the service's `applySellerStatus`.
 */
export { createCampaignsService } from './service.js';
export type { CampaignsService, CampaignsDeps } from './service.js';
export { campaignRoutes } from './routes.js';
export { campaignReader } from './campaign/reader.js';
export { statusFromSeller, mediaBuyStatuses, campaignStatuses } from './status/statuses.js';
export type { MediaBuyStatus, CampaignStatus, SellerReport } from './status/statuses.js';
export type {
  CampaignCreatives,
  CampaignForCreatives,
  CreativeOrder,
  CreativeUtm,
  LiveBuy,
} from './creatives/creatives-port.js';
export { withUtm } from './creatives/utm.js';
export type { PushRequest, StatusSyncPort } from './status/sync-port.js';
export { pushNotificationPath } from './tasks/routes.js';
export { pushConfigPolicy } from './status/push-config.js';
export type {
  AudienceConfigInput,
  AudienceSyncTaskView,
  CampaignAudiencesPort,
} from './targeting/audience-config.js';
export type {
  CampaignOptimizationPort,
  OptimizableBuy,
  PlacedBuy,
  OptimizablePackage,
} from './goals/optimization-port.js';
