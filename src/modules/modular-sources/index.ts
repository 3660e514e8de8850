export { createModularSourcesService } from './service.js';
export type { ModularSourcesService } from './service.js';
export { modularSourceRoutes } from './routes/index.js';
export { defaultFeedLimits, modularExecutionType } from './context.js';
