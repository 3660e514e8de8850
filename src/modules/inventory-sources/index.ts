/**
 * Inventory sources: what a storefront draws on (its records, credentials and probed
 * capabilities), and the source port every kind of source implements (port.ts).
 */
export { createInventorySourcesService } from './service.js';
export type { InventorySourcesService } from './service.js';
export { inventorySourceRoutes } from './routes.js';
export { healthOf, providerAdapterExecutionType } from './views.js';
export { authenticationTypes, capabilitiesSchema, healthSchema, sourceTypes } from './schemas.js';
export { probeOutcome } from './probe-mapping.js';
export { pauseCancelActions } from './buyer-actions.js';
export { isConnected, isDraft } from './store.js';
export type { SourceRow, SourceSummaryRow, StoredSourceRow } from './store.js';
export type { CachedCapabilities, ProbeErrorRecord, SourceView } from './schemas.js';
export type { OAuthClientConfig } from './auth-config.js';
export type {
  BuyerAccount,
  InventorySource,
  SourceAnswer,
  SourceBuysRequest,
  SourceCall,
  SourceCreateRequest,
  SourceCreativesRequest,
  SourceDeliveryRequest,
  SourceError,
  SourceFeedbackRequest,
  SourceFormatsRequest,
  SourceHealth,
  SourceIdentity,
  SourceKind,
  SourceProductsRequest,
  SourceSocialRequest,
  SocialTools,
  SourceTask,
  SourceTaskStatus,
  SourceUpdateRequest,
} from './port.js';
