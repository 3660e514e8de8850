import { createPerformanceFeedbackJobs } from '../jobs/index.js';
import { conversionsReader } from '../modules/event-sources/index.js';
import {
  createPerformanceFeedbackService,
  type PerformanceFeedbackService,
} from '../modules/performance-feedback/index.js';
import type { Base } from './base.js';
import type { BuyingArea } from './buying/area.js';
import type { SellerArea } from './sellers/area.js';

const sendTimeoutMs = 30_000;

/**
 * Performance feedback: a sweep on the optimisation schedule that sends AdCP
 * provide_performance_feedback through the buying agents, as the buy's customer.
 */
export function createPerformanceFeedbackArea(
  base: Base,
  sellers: SellerArea,
  buying: BuyingArea,
): {
  performanceFeedback: PerformanceFeedbackService;
  performanceFeedbackJobs: ReturnType<typeof createPerformanceFeedbackJobs>;
} {
  const { db, jobs, config } = base;
  const performanceFeedback = createPerformanceFeedbackService({
    db,
    placedBuys: (during, afterId, limit) =>
      buying.campaigns.optimization.placedBuys(during, afterId, limit),
    spendBetween: (customerId, of, start, end) =>
      buying.delivery.spendBetween(customerId, of, start, end),
    conversions: conversionsReader(db),
    async send(customerId, salesAgentId, request) {
      const principal = await sellers.identity.actingPrincipal(customerId);
      if (!principal) return { ok: false, message: 'The buy’s customer is inactive' };
      const result = await buying.agents.call(
        principal,
        salesAgentId,
        'provide_performance_feedback',
        request,
        { timeoutMs: sendTimeoutMs },
      );
      if (!result.ok) return { ok: false, message: result.error.message };
      if (result.status !== 'completed') {
        return { ok: false, message: `The seller answered ${result.status}` };
      }
      const errors = result.data['errors'];
      if (Array.isArray(errors) && errors.length > 0) {
        return { ok: false, message: String((errors[0] as { message?: unknown }).message) };
      }
      return { ok: true };
    },
  });
  const performanceFeedbackJobs = createPerformanceFeedbackJobs(() => performanceFeedback, jobs, {
    intervalSeconds: config.optimizationIntervalSeconds ?? 0,
  });
  return { performanceFeedback, performanceFeedbackJobs };
}
