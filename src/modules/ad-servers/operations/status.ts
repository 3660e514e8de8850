import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { AdServerContext } from '../context.js';
import { productCount } from '../products.js';
import { orderCountsByStatus, rejectedOrders } from '../booking/orders-store.js';
import { impressionsSince } from '../reporting/delivery-store.js';
import { countsByKind } from '../sync/inventory-store.js';
import { history, type SyncRunRow } from '../sync/runs-store.js';
import { runView } from '../views.js';

/** One sync block of the status (hosted EsaTenantStatus.syncs.*). */
const syncBlock = (
  run: SyncRunRow | undefined,
  lastSuccess: SyncRunRow | undefined,
  itemCount: number | null,
) => ({
  status: run?.status ?? 'never_run',
  severity: run?.status === 'failed' ? 'critical' : run?.status === 'partial' ? 'warning' : 'ok',
  lastSuccessAt: lastSuccess?.completedAt?.toISOString() ?? null,
  issue:
    run?.status === 'failed' || run?.status === 'partial'
      ? {
          code: run.errorCategory ?? 'INTERNAL_ERROR',
          category: 'sync',
          message: run.errorSummary ?? 'The sync failed',
          retryable: true,
        }
      : null,
  lastRunAt: run?.startedAt.toISOString() ?? null,
  lastStartedAt: run?.startedAt.toISOString() ?? null,
  itemCount,
  error: run?.status === 'failed' || run?.status === 'partial' ? run.errorSummary : null,
});

/** The operational snapshot of a source (hosted EsaTenantStatus, plus the delivery import's age). */
export async function operationalStatus(
  ctx: AdServerContext,
  principal: CustomerPrincipal,
  sourceId: string,
  query: { includeSyncHistory?: boolean | undefined; syncHistoryLimit: number },
) {
  const owned = await ctx.requireOwned(principal, sourceId);
  const id = owned.row.id;
  const connection = owned.connection;
  const runs = await history(ctx.db, id, { syncType: 'inventory', limit: 10 });
  const lastSuccess = runs.find((r) => r.status === 'completed');
  const [lastDelivery] = await history(ctx.db, id, { syncType: 'delivery', limit: 1 });
  const deliveryShort = lastDelivery?.status === 'partial' || lastDelivery?.status === 'failed';
  const counts = await countsByKind(ctx.db, id);
  const byStatus = await orderCountsByStatus(ctx.db, id);
  const lineCount = (status: string) => byStatus.get(status)?.lines ?? 0;
  const cleanups = byStatus.get('cleanup_pending')?.orders ?? 0;
  // Open work: orders awaiting cleanup, orders whose creation has not settled, and orders
  // waiting for the ad server's own approval (followed by a job until they serve).
  const cleanupOpen = [byStatus.get('cleanup_pending'), byStatus.get('creating')].filter(
    (g) => !!g,
  );
  const cleanupCount = cleanupOpen.reduce((n, g) => n + g.orders, 0);
  const approving = byStatus.get('approving');
  const open = [...cleanupOpen, ...(approving ? [approving] : [])];
  const openCount = open.reduce((n, g) => n + g.orders, 0);
  const oldestOpen = open.map((g) => g.oldest).sort((a, b) => a.getTime() - b.getTime())[0];
  // Days from yesterday (UTC) on.
  const yesterday = new Date(ctx.now().getTime() - 86_400_000).toISOString().slice(0, 10);
  const last24hImpressions = await impressionsSince(ctx.db, id, yesterday);
  const products = await productCount(ctx, id);
  const active = connection?.provisioningStatus === 'active';
  const issues = [
    ...(!active
      ? [
          {
            code: connection?.lastErrorCode ?? 'NOT_PROVISIONED',
            severity: 'critical',
            message: connection?.lastError ?? 'The ad server is not connected',
            affects: ['setup', 'discovery', 'delivery'],
          },
        ]
      : []),
    ...(runs[0]?.status === 'failed' || runs[0]?.status === 'partial'
      ? [
          {
            code: runs[0].errorCategory ?? 'SYNC_FAILED',
            severity: 'warning',
            message: runs[0].errorSummary ?? 'The last sync failed',
            affects: ['discovery'],
          },
        ]
      : []),
    ...(lastDelivery && deliveryShort
      ? [
          {
            code: lastDelivery.errorCategory ?? 'DELIVERY_IMPORT_FAILED',
            severity: 'warning',
            message: lastDelivery.errorSummary ?? 'The last delivery import failed',
            affects: ['delivery'],
          },
        ]
      : []),
    ...Array.from({ length: cleanups }, () => ({
      code: 'ORDER_CLEANUP_PENDING',
      severity: 'warning',
      message: 'An order left by a failed booking awaits cleanup in the ad server',
      affects: ['delivery'],
    })),
    ...(await rejectedIssues(ctx, id)),
  ];
  const lastImport = connection?.lastReportAt ?? null;
  return {
    operational: {
      isLive: active && products > 0,
      discoveryDegraded: active && runs[0]?.status === 'failed',
      deliveryDegraded: active && (deliveryShort || cleanups > 0),
      summary: !active
        ? 'Not connected'
        : products > 0
          ? `Live: ${products} products from ${counts['ad_unit'] ?? 0} ad units and ${counts['placement'] ?? 0} placements`
          : 'Connected; no products yet (sync inventory first)',
      issues,
    },
    adapter: {
      type: connection?.type ?? 'google_ad_manager',
      connected: active,
      lastTestedAt: connection?.lastTestedAt?.toISOString() ?? null,
      lastTestError: connection?.lastError ?? null,
    },
    syncs: {
      inventory: syncBlock(
        runs[0],
        lastSuccess,
        (counts['ad_unit'] ?? 0) + (counts['placement'] ?? 0),
      ),
      customTargeting: syncBlock(
        runs[0],
        lastSuccess,
        (counts['targeting_key'] ?? 0) + (counts['targeting_value'] ?? 0),
      ),
      advertisers: syncBlock(runs[0], lastSuccess, counts['advertiser'] ?? 0),
    },
    workflows: {
      openCount,
      oldestOpenedAt: oldestOpen?.toISOString() ?? null,
      byKind: {
        ...(cleanupCount && { order_cleanup: cleanupCount }),
        ...(approving && { ad_server_approval: approving.orders }),
      } as Record<string, number>,
    },
    packages: {
      activeCount: lineCount('active'),
      pausedCount: lineCount('paused'),
      last24hImpressions,
    },
    products: { activeCount: products, draftCount: 0, archivedCount: 0 },
    delivery: {
      lastImportStatus: lastDelivery?.status ?? null,
      lastImportAt: lastImport?.toISOString() ?? null,
      ageSeconds: lastImport
        ? Math.round((ctx.now().getTime() - lastImport.getTime()) / 1000)
        : null,
    },
    ...(query.includeSyncHistory && {
      syncHistory: runs.slice(0, query.syncHistoryLimit).map(runView),
    }),
    fetchedAt: ctx.now().toISOString(),
  };
}

/** The latest orders the ad server disapproved (at most 20), as issues naming the buy and why. */
async function rejectedIssues(ctx: AdServerContext, inventorySourceId: number) {
  const rejected = await rejectedOrders(ctx.db, inventorySourceId, 20);
  return rejected.map((o) => ({
    code: o.error?.code ?? 'AD_SERVER_DISAPPROVED',
    severity: 'warning',
    message: `Media buy ${o.id}: ${o.error?.message ?? 'the ad server disapproved the order'}`,
    affects: ['delivery'],
  }));
}
