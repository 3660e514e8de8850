import type { ComplianceScheduler } from '../../modules/compliance/index.js';
import type { OptimizationService } from '../../modules/optimization/index.js';
import type { AuthorizationScheduler } from '../../modules/publisher-authorization/index.js';
import type { SignalsService } from '../../modules/registered-agents/index.js';
import { createFlow } from './flow.js';

/**
 * A service and its jobs on the queue need each other: the service queues work, the job runs
 * the service. The one built second owns the flow; the first asks through it.
 */
export function createSchedules() {
  return {
    /**
     * Compliance runs. Owner: the compliance schedule (jobs/compliance-runs.ts). Caller:
     * compliance, which queues a run (none before the queue started: the sweep finds it).
     */
    complianceRuns: scheduleOf(
      createFlow<ComplianceScheduler>('compliance runs', 'service and job'),
    ),
    /**
     * adagents.json refreshes. Owner: the authorization schedule
     * (jobs/publisher-authorization.ts). Caller: publisher authorization, for a stale domain.
     */
    authorizationRefreshes: scheduleOf(
      createFlow<AuthorizationScheduler>('adagents.json refreshes', 'service and job'),
    ),
    /**
     * Signal activations followed until deployed. Owner: signals
     * (modules/registered-agents/signals). Caller: the follow-up job (jobs/signal-activations.ts),
     * which signals queue.
     */
    signalFollowUp: {
      flow: createFlow<Pick<SignalsService, 'followActivation'>>(
        'signal follow-up',
        'service and job',
      ),
    },
    /**
     * Optimisation sweeps and applies. Owner: optimization (modules/optimization). Caller: its
     * jobs (jobs/optimization.ts), which optimization queues.
     */
    optimizationRuns: {
      flow: createFlow<Pick<OptimizationService, 'sweep' | 'apply'>>(
        'optimization runs',
        'service and job',
      ),
    },
  };
}

/** A schedule is asked only once the queue started; before, the service's sweep catches up. */
function scheduleOf<Scheduler>(flow: ReturnType<typeof createFlow<Scheduler>>) {
  return {
    flow,
    scheduler: (isStarted: () => boolean) => () => (isStarted() ? flow.owner() : undefined),
  };
}
