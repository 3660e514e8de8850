import { notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import * as syncStore from '../status/sync-store.js';
import type { BuyerTaskRow } from '../status/sync-store.js';

const settled = new Set(['completed', 'failed']);

/** The hosted TaskOutput of a buyer task. */
export function taskView(row: BuyerTaskRow, retryAfterSeconds: number) {
  return {
    taskId: row.id,
    taskType: row.taskType,
    status: row.status,
    resourceType: 'media_buy',
    resourceId: row.mediaBuyId,
    error: row.error ?? null,
    response: row.response ?? null,
    metadata: { mediaBuyId: row.mediaBuyId, sellerTaskId: row.sellerTaskId },
    // Status sync looks this soon after a change at the earliest; polling faster learns nothing.
    retryAfterSeconds: settled.has(row.status) ? null : retryAfterSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The caller's tasks (GET /api/v2/buyer/tasks/{taskId}); another customer's is NOT_FOUND. */
export function createTasks(ctx: CampaignsContext) {
  return {
    async getTask(principal: CustomerPrincipal, taskId: string) {
      const row = await syncStore.findTask(ctx.db, principal.customerId, taskId);
      if (!row) {
        // An audience sync is a buyer task too (the audiences module's, through the port).
        const audienceTask = await ctx.deps.audiences?.syncTask(principal.customerId, taskId);
        if (audienceTask) return { task: audienceTask };
        throw notFound('Task');
      }
      return { task: taskView(row, Math.ceil(ctx.deps.sync.minSeconds)) };
    },
  };
}
