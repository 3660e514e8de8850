/**
 * Inventory sources: what a storefront draws on (its records, credentials and probed
 * capabilities). The source port every kind implements lives in src/sources/port.ts; its types
 * are re-exported here for the modules that reached them through this door.
 */
export { createInventorySourcesService } from './service.js';
export type { InventorySourcesService } from './service.js';
export type { SourceConnection } from './source-edits.js';
export { activeCoverageReader } from './ports/coverage.js';
export { inventorySourceRoutes } from './routes.js';
export { healthOf, providerAdapterExecutionType } from './views.js';
export {
  authenticationTypes,
  capabilitiesSchema,
  healthSchema,
  productIssueSchema,
  sourceTypes,
} from './schemas.js';
export type { ProductCheckReport } from './product-issues/product-issues.js';
export { probeOutcome } from './probing/probe-mapping.js';
export { speaksAdcp31 } from './probing/releases.js';
export { pauseCancelActions } from '../../sources/buyer-actions.js';
export { sellingVerdict } from './ports/selling.js';
export type { SellingCheck, SellingReason, SellingVerdict } from './ports/selling.js';
export type { SelfDeclaration } from './probing/capabilities.js';
export type { SelfProblem, SelfReport } from './probing/self-reports.js';
export { isConnected, isDraft } from './store.js';
export type { SourceRow, SourceSummaryRow, StoredSourceRow } from './store.js';
export type { CachedCapabilities, ProbeErrorRecord, ProductIssue, SourceView } from './schemas.js';
export type { OAuthClientConfig } from './credentials/auth-config.js';
export type {
  BuyerAccount,
  InventorySource,
  SourceAnswer,
  SourceBuysRequest,
  SourceCall,
  SourceCreateRequest,
  SourcePackage,
  QuotedPrice,
  SourceCreativesRequest,
  SourceDeliveryRequest,
  SourceError,
  SourceFeedbackRequest,
  SourceFormatsRequest,
  SourceHealth,
  SourceIdentity,
  SourceProductsRequest,
  SourceSocialRequest,
  SocialTools,
  SourceTask,
  SourceTaskStatus,
  SourceUpdateRequest,
} from '../../sources/port.js';
export type { SourceKind } from './ports/source-kind.js';
export type { SourceWorkItem, SourceWorkQueue, WorkItemBuy } from './ports/work-queue.js';
