export { createModularSourcesService } from './service.js';
export type { ModularSourcesService } from './service.js';
export { modularSourceRoutes, registerLedgerDownloads } from './routes/index.js';
export { modularExecutionType } from './context.js';
