import { accountOf, adServerView } from './connections/configs.js';
import type { ConnectionRow, OwnedConnection } from './context.js';
import type { SyncRunRow } from './sync/runs-store.js';

const isoOrNull = (at: Date | null | undefined) => (at ? at.toISOString() : null);

/**
 * The hosted EsaConnection of a source: never its credentials (`auth` says whether it has some to
 * act with, and the email of the service account it acts as).
 */
export function connectionView(
  owned: OwnedConnection,
  connection: ConnectionRow | undefined,
  lastRun: SyncRunRow | null,
  auth: { configured: boolean; serviceAccountEmail: string | null },
) {
  return {
    id: String(owned.row.id),
    sourceId: owned.row.sourceId,
    customerId: owned.storefront.customerId,
    provisioningStatus: (connection?.provisioningStatus ?? 'pending') as
      'pending' | 'provisioning' | 'active' | 'failed' | 'deactivated',
    tenantId: connection?.provisionedAt
      ? `${connection.type}:${accountOf(connection.config)}`
      : null,
    mcpUrl: null,
    a2aUrl: null,
    adServer: connection ? adServerView(connection.type, connection.config) : null,
    serviceAccountEmail: auth.serviceAccountEmail,
    authConfigured: auth.configured,
    lastError: connection?.lastError ?? null,
    lastErrorCode: connection?.lastErrorCode ?? null,
    lastTestedAt: isoOrNull(connection?.lastTestedAt),
    provisionedAt: isoOrNull(connection?.provisionedAt),
    deactivatedAt: isoOrNull(connection?.deactivatedAt),
    createdAt: (connection?.createdAt ?? owned.row.createdAt).toISOString(),
    updatedAt: (connection?.updatedAt ?? owned.row.updatedAt).toISOString(),
    inventorySync: lastRun
      ? {
          status: lastRun.status,
          lastRunAt: lastRun.startedAt.toISOString(),
          completedAt: isoOrNull(lastRun.completedAt),
          itemCount: lastRun.itemsProcessed,
          error: lastRun.errorSummary,
          updatedAt: isoOrNull(lastRun.completedAt ?? lastRun.startedAt),
        }
      : null,
  };
}

/** One run as the hosted sync-history lists it. */
export function runView(run: SyncRunRow) {
  return {
    syncId: run.id,
    syncType: run.syncType,
    startedAt: run.startedAt.toISOString(),
    completedAt: isoOrNull(run.completedAt),
    status: run.status,
    durationSeconds: run.completedAt
      ? Math.round((run.completedAt.getTime() - run.startedAt.getTime()) / 1000)
      : null,
    itemsProcessed: run.itemsProcessed,
    itemsFailed: run.itemsFailed,
    errorSummary: run.errorSummary,
    errorCategory: run.errorCategory,
    ...(run.syncType === 'inventory' && {
      syncMode: run.cursor?.mode ?? 'full',
      changedSince: run.cursor?.mode === 'incremental' ? (run.cursor.since ?? null) : null,
      itemCounts: run.cursor?.counts ?? {},
      itemsRetired: run.cursor?.retired ?? 0,
    }),
  };
}
