/**
 * Provider adapters: self-serve platforms (Meta, Google Ads, TikTok, …) connected by OAuth and
 * sold as inventory sources, each through its documented API with the buyer's spend scoped per buy.
 */
export { createProviderAdaptersService } from './service.js';
export type { ProviderAdaptersService, RefreshScheduler } from './service.js';
export { providerAdapterRoutes } from './routes.js';
export { adapterCallbackPath, adapterExecutionType, providers } from './providers.js';
export type { AdapterDeps } from './context.js';
// The PROVIDER_ADAPTER kind's adapter (src/source-kinds/provider/) buys through these.
export type { AdapterKindParts } from './kind-parts.js';
export { formatsAgentUrl, type ProviderBuyStatus, type ProviderSocial } from './contract.js';
export { ProviderError } from './errors.js';
export { buyerOf, type BuyScope } from './buys/scope.js';
export { asksForChanges, changeOf } from './buys/changes.js';
export { withAudiences } from './buys/audiences.js';
export { awaitPlacing, callLease, holdForChange, whileHeld, type SaveHeld } from './buys/lease.js';
export { packageOf } from './buys/request.js';
export { syncCatalogs } from './catalogs/sync-catalogs.js';
export { syncAudiences } from './social/audiences.js';
export { logEvent, syncEventSources } from './social/events.js';
export {
  buysOfBuyer,
  claimBuy,
  connectionOfSource,
  type BuyRow as ProviderBuyRow,
} from './store.js';
