/**
 * Ad-server sources (issue 40): Google Ad Manager (SOAP), FreeWheel and SpringServe as inventory
 * sources: sealed connections, inventory sync into products, orders booked and held for the
 * seller's approval at the ad server, delivery read back.
 */
export { createAdServersService, type AdServersService } from './service.js';
export { adServerRoutes } from './routes/index.js';
export { adServerExecutionType } from './context.js';
export { refreshSchema } from './answer-schemas.js';
export { defaultEndpoints, type AdServerEndpoints } from './adapters/registry.js';
