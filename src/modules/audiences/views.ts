import type { AudienceRow, SyncTaskRow } from './store.js';

/** Hosted AudienceSummary. */
export function audienceView(row: AudienceRow) {
  return {
    audienceId: row.audienceId,
    name: row.name,
    accountId: String(row.advertiserId),
    status: row.status,
    deleted: row.deleted,
    uploadedCount: row.uploadedCount,
    matchedCount: row.matchedCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const open = new Set(['submitted', 'working']);

/** The hosted TaskOutput of an audience sync (GET /api/v2/buyer/tasks/{taskId}). */
export function syncTaskView(row: SyncTaskRow) {
  const { totalMembers, processedMembers, sellers } = row.progress;
  return {
    taskId: row.id,
    taskType: 'audience_sync' as const,
    status: row.status,
    resourceType: 'audience',
    resourceId: row.status === 'completed' ? String(row.advertiserId) : null,
    error: row.error ?? null,
    response: row.response ?? null,
    metadata: {
      accountId: String(row.advertiserId),
      progress: {
        totalMembers,
        processedMembers,
        percent: totalMembers === 0 ? 100 : Math.floor((processedMembers / totalMembers) * 100),
      },
      sellers,
    },
    retryAfterSeconds: open.has(row.status) ? 2 : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
