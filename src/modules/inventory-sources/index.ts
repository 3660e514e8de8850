/**
 * Inventory sources: what a storefront draws on (its records, credentials and probed
 * capabilities), and the source port every kind of source implements (port.ts).
 */
export { createInventorySourcesService } from './service.js';
export type { InventorySourcesService } from './service.js';
export { activeCoverageReader } from './coverage.js';
export { inventorySourceRoutes } from './routes.js';
export { healthOf, providerAdapterExecutionType } from './views.js';
export {
  authenticationTypes,
  capabilitiesSchema,
  healthSchema,
  productIssueSchema,
  sourceTypes,
} from './schemas.js';
export type { ProductCheckReport } from './product-issues.js';
export { probeOutcome } from './probe-mapping.js';
export { pauseCancelActions } from './buyer-actions.js';
export { sellingVerdict } from './selling.js';
export type { SellingCheck, SellingReason, SellingVerdict } from './selling.js';
export type { SelfDeclaration } from './capabilities.js';
export type { SelfProblem, SelfReport } from './self-reports.js';
export { isConnected, isDraft } from './store.js';
export type { SourceRow, SourceSummaryRow, StoredSourceRow } from './store.js';
export type { CachedCapabilities, ProbeErrorRecord, ProductIssue, SourceView } from './schemas.js';
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
export type { SourceWorkItem, SourceWorkQueue, WorkItemBuy } from './work-queue.js';
