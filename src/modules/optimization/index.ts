/**
 * Optimisation suggestions (issue 32): budget moved between a placed buy's packages toward its
 * campaign's primary performance goal, approved or rejected by the buyer (MANUAL) or applied by
 * the apply job (AUTO) through the campaigns module's update-media-buy path.
 */
export { createOptimizationService } from './service.js';
export type { OptimizationService, OptimizationDeps } from './service.js';
export { ApplyLater } from './apply.js';
export { optimizationRoutes } from './routes.js';
