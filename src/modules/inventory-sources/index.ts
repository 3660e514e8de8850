/** Inventory sources: the AdCP agents a storefront draws on, their credentials and probed capabilities. */
export { createInventorySourcesService } from './service.js';
export type { InventorySourcesService } from './service.js';
export { inventorySourceRoutes } from './routes.js';
export { healthOf } from './views.js';
export { authenticationTypes, capabilitiesSchema, healthSchema, sourceTypes } from './schemas.js';
export { probeOutcome } from './probe-mapping.js';
export type { SourceRow, SourceSummaryRow, StoredSourceRow } from './store.js';
export type { CachedCapabilities, ProbeErrorRecord, SourceView } from './schemas.js';
export type { OAuthClientConfig } from './auth-config.js';
