import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';
import type { ProductionsService } from '../modules/creative-generation/index.js';

const retryLimit = 3;

/**
 * AudioStack productions as durable work: one job per production (one waiting and one running
 * at a time), which resumes from the AudioStack objects already made after a crash or a stop. A
 * throttle or an outage is tried again `retryDelaySeconds` later, doubling, three times, then
 * reported on the production; a step AudioStack is still working on is looked at again later
 * without spending a try.
 */
export function createAudioProductionJobs(
  productions: Pick<ProductionsService, 'work' | 'useScheduler'>,
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>,
  options: { retryDelaySeconds: number },
): void {
  const produceJob = defineJob({
    name: 'creative-generation.produce-audio',
    payload: z.object({ productionId: z.string().min(1) }),
    singleton: 'queued-and-running',
    retry: { limit: retryLimit, delaySeconds: options.retryDelaySeconds, backoff: true },
    timeoutSeconds: 10 * 60,
    handler: async ({ productionId }, context) => {
      await productions.work(productionId, { lastTry: context.retryCount >= retryLimit });
    },
  });
  jobs.define(produceJob);
  productions.useScheduler(async (productionId, delaySeconds) => {
    if (!jobs.isStarted()) return;
    await jobs.send(
      produceJob,
      { productionId },
      { singletonKey: `production:${productionId}`, delaySeconds },
    );
  });
}
