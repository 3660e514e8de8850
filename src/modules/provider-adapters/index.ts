/**
 * Provider adapters: self-serve platforms (Meta, Google Ads, TikTok, …) connected by OAuth and
 * sold as inventory sources, each through its documented API with the buyer's spend scoped per buy.
 */
export { createProviderAdaptersService } from './service.js';
export type { ProviderAdaptersService, RefreshScheduler } from './service.js';
export { providerAdapterRoutes } from './routes.js';
export { adapterCallbackPath, adapterExecutionType, providers } from './providers.js';
export type { AdapterDeps } from './context.js';
