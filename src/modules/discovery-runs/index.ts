/** Discovery runs: every product discovery a storefront agent answered, for seller analytics. */
export { createDiscoveryRunsService } from './service.js';
export type { DiscoveryRunsService, NewDiscoveryRun } from './service.js';
export type { PackagedComponentRecord, SourceOutcomeRecord } from './tables.js';
