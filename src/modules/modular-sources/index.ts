export { createModularSourcesService } from './service.js';
export type { ModularSourcesService } from './service.js';
export { modularSourceRoutes } from './routes/index.js';
export { modularExecutionType } from './context.js';
export type { ModularNotices } from './notices.js';
