import { z } from 'zod';
import { defineJob, type JobQueue } from '../platform/jobs/index.js';
import type { ProviderAdaptersService } from '../modules/provider-adapters/index.js';

/**
 * Wired provider adapters' grants are refreshed before they expire, as durable work: a job per
 * connection (one waiting at a time), run at the grant's refresh time, retried while the
 * provider is unavailable; a refresh the provider refuses marks the connection NEEDS_RECONNECT.
 */
export function createProviderTokenRefreshJobs(
  adapters: Pick<ProviderAdaptersService, 'refresh' | 'useScheduler'>,
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>,
): void {
  const refreshJob = defineJob({
    name: 'provider-adapters.refresh-grant',
    payload: z.object({ connectionId: z.number().int().positive() }),
    singleton: 'queued',
    retry: { limit: 8, delaySeconds: 60, backoff: true },
    handler: async ({ connectionId }) => {
      await adapters.refresh(connectionId);
    },
  });
  jobs.define(refreshJob);
  adapters.useScheduler(async (connectionId, atMs) => {
    if (!jobs.isStarted()) return;
    await jobs.send(
      refreshJob,
      { connectionId },
      {
        singletonKey: `connection:${connectionId}`,
        delaySeconds: Math.max(0, Math.ceil((atMs - Date.now()) / 1000)),
      },
    );
  });
}
