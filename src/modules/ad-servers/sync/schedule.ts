import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.js';
import type { AdServerContext } from '../context.js';
import { activeConnectionIds } from '../connections/connections-store.js';
import type { InventorySync } from './sync.js';

/*
 * The scheduled inventory sync: a sweep job starts a sync of every active ad-server source
 * (incremental, or full when one is due: sync/plan.ts), then queues the next sweep. A source
 * whose run is still going keeps it (`start` answers the running run).
 */
export function createSyncSchedule(ctx: AdServerContext, sync: InventorySync) {
  const interval = ctx.deps.syncIntervalSeconds ?? 3600;
  const sweepJob = defineJob({
    name: 'ad-server.sync-sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      for (const id of await activeConnectionIds(ctx.db)) {
        try {
          await sync.start(id);
        } catch (error) {
          ctx.deps.onError?.(error, `ad-server scheduled sync of source ${id}`);
        }
      }
      await ctx.deps.jobs.send(sweepJob, {}, { delaySeconds: interval });
    },
  });
  ctx.deps.jobs.define(sweepJob);
  return {
    async startSweeps() {
      if (interval > 0) await ctx.deps.jobs.send(sweepJob, {}, { delaySeconds: interval });
    },
  };
}
