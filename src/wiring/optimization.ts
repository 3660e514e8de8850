import { createOptimizationJobs } from '../jobs/index.js';
import {
  createOptimizationService,
  type OptimizationService,
} from '../modules/optimization/index.js';
import type { Base } from './base.js';
import type { BuyingArea } from './buying/area.js';
import type { SellerArea } from './sellers/area.js';

/**
 * Optimisation suggestions: a sweep over campaigns' placed buys and their recorded delivery,
 * and an apply job that changes budgets through the campaigns' update-media-buy path.
 */
export function createOptimizationArea(
  base: Base,
  sellers: SellerArea,
  buying: BuyingArea,
): {
  optimization: OptimizationService;
  optimizationJobs: ReturnType<typeof createOptimizationJobs>;
} {
  const { db, jobs, config, flows } = base;
  const { campaigns, delivery } = buying;
  // Optimization queues applies and owns the flow its jobs run sweeps and applies through.
  const optimizationJobs = createOptimizationJobs(flows.optimizationRuns.flow.owner, jobs, {
    intervalSeconds: config.optimizationIntervalSeconds ?? 0,
  });
  const optimization = flows.optimizationRuns.flow.ownedBy(
    createOptimizationService({
      db,
      campaigns: campaigns.optimization,
      packageTotals: (customerId, mediaBuyId) => delivery.packageTotals(customerId, mediaBuyId),
      patchBudgets: (principal, mediaBuyId, packages) =>
        campaigns.patchMediaBuy(principal, mediaBuyId, { packages }),
      actAs: (customerId) => sellers.identity.actingPrincipal(customerId),
      leaseMs: 5 * 60_000,
      queueApply: (id) => optimizationJobs.queueApply(id),
    }),
  );
  return { optimization, optimizationJobs };
}
