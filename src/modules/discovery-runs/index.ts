/** Discovery runs: every product discovery a storefront agent answered, for seller analytics. */
export { createDiscoveryRunsService } from './service.js';
export type { DiscoveryRunsService, DiscoveryRunRow, NewDiscoveryRun } from './service.js';
export type { PackagedComponentRecord, SourceOutcomeRecord } from './tables.js';
