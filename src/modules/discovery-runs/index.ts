/** Discovery runs: every product discovery a storefront agent answered, for seller analytics. */
export { createDiscoveryRunsService, quoteHoldsMs } from './service.js';
export type { DiscoveryRunsService, NewDiscoveryRun } from './service.js';
export type { PackagedComponentRecord, QuoteRecord, SourceOutcomeRecord } from './tables.js';
export type { ShownQuote } from './store.js';
