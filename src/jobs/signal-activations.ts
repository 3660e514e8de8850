import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';
import type { CustomerPrincipal } from '../platform/principal.js';

export interface SignalActivationFollowUp {
  /** Queues the follow-up of an activation not settled yet (no-op before the queue started). */
  followLater(activationId: string, attempt: number): Promise<void>;
}

/** Follow-ups of one activation stop after this many (about a day at the longest delay). */
const maxAttempts = 40;
const delayOf = (attempt: number) => Math.min(3600, 5 * 2 ** Math.min(attempt, 10));

/**
 * Signal activations followed on the job queue until settled: an activate_signal whose outcome
 * is in doubt (a timeout, a crash between recording and answering) is sent again under its
 * idempotency key, one the agent took is read back (get_signals) until its deployments are live.
 * One follow-up waits per activation (singleton by id); every instance shares the work.
 */
export function createSignalActivationJobs(
  signals: () => {
    followActivation(
      id: string,
      principalOf: (customerId: number) => Promise<CustomerPrincipal | undefined>,
    ): Promise<boolean>;
  },
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>,
  actAs: (customerId: number) => Promise<CustomerPrincipal | undefined>,
): SignalActivationFollowUp {
  const followJob = defineJob({
    name: 'signals.follow-activation',
    payload: z.object({ activationId: z.string(), attempt: z.number().int().min(1) }),
    singleton: 'queued',
    handler: async ({ activationId, attempt }) => {
      const settled = await signals().followActivation(activationId, actAs);
      if (!settled && attempt < maxAttempts) await followLater(activationId, attempt + 1);
    },
  });
  jobs.define(followJob);
  async function followLater(activationId: string, attempt: number) {
    if (!jobs.isStarted()) return;
    await jobs.send(
      followJob,
      { activationId, attempt },
      { singletonKey: activationId, delaySeconds: delayOf(attempt) },
    );
  }
  return { followLater };
}
