export { createAdServersService, type AdServersService } from './service.js';
export { adServerRoutes } from './routes/index.js';
export { adServerExecutionType } from './context.js';
export { refreshSchema } from './answer-schemas.js';
export { defaultEndpoints, type AdServerEndpoints } from './adapters/registry.js';
