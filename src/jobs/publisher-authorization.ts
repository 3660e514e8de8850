import { z } from 'zod';
import type {
  AuthorizationScheduler,
  PublisherAuthorizationService,
} from '../modules/publisher-authorization/index.js';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';

export interface AuthorizationSchedule extends AuthorizationScheduler {
  /** Queues the recurring sweep unless one is already waiting (called on every start). */
  startSweeps(): Promise<void>;
}

/**
 * adagents.json reads on the job queue: one refresh per storefront at a time (singleton: one
 * waiting, one running), queued when readiness meets a domain never read or expired, and by the
 * sweep for every storefront with an expired read.
 */
export function createAuthorizationJobs(
  authorization: Pick<PublisherAuthorizationService, 'refreshDue' | 'storefrontsDue'>,
  jobs: Pick<JobQueue, 'define' | 'send'>,
  options: { sweepSeconds: number },
): AuthorizationSchedule {
  const refreshJob = defineJob({
    name: 'publisher-authorization.refresh',
    payload: z.object({ storefrontId: z.number().int().positive() }),
    singleton: 'queued-and-running',
    retry: { limit: 2, delaySeconds: 60, backoff: true },
    timeoutSeconds: 10 * 60,
    handler: async ({ storefrontId }) => {
      await authorization.refreshDue(storefrontId);
    },
  });
  const refresh = async (storefrontId: number) => {
    await jobs.send(refreshJob, { storefrontId }, { singletonKey: String(storefrontId) });
  };
  const sweepJob = defineJob({
    name: 'publisher-authorization.sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      for (const id of await authorization.storefrontsDue()) await refresh(id);
      await jobs.send(sweepJob, {}, { delaySeconds: options.sweepSeconds });
    },
  });
  jobs.define(refreshJob);
  jobs.define(sweepJob);
  return {
    refresh,
    async startSweeps() {
      await jobs.send(sweepJob, {}, { delaySeconds: 30 });
    },
  };
}
