export { createProviderAdaptersService } from './service.js';
export type { ProviderAdaptersService, RefreshScheduler } from './service.js';
export { providerAdapterRoutes } from './routes.js';
export { adapterCallbackPath, adapterExecutionType, providers } from './providers.js';
export type { AdapterDeps } from './context.js';
