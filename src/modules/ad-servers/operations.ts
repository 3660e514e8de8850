import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { adServerExecutionType, type AdServerContext } from './context.js';
import type { DeliveryImport } from './reporting/import.js';
import { countsByKind, history, type SyncRunRow } from './sync/runs.js';
import type { InventorySync } from './sync/sync.js';
import { adServerDelivery, adServerOrders } from './tables.js';
import { runView } from './views.js';
import { productCount } from './products.js';

/*
 * What the operator reads and starts: the operational status (hosted EsaTenantStatus), the sync
 * history, a refresh (a sync run, or the one already running) and a delivery import on demand.
 */
export function createOperations(
  ctx: AdServerContext,
  sync: InventorySync,
  delivery: DeliveryImport,
) {
  const syncBlock = (
    run: SyncRunRow | undefined,
    lastSuccess: SyncRunRow | undefined,
    itemCount: number | null,
  ) => ({
    status: run?.status ?? 'never_run',
    severity: run?.status === 'failed' ? 'critical' : 'ok',
    lastSuccessAt: lastSuccess?.completedAt?.toISOString() ?? null,
    issue:
      run?.status === 'failed'
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
    error: run?.status === 'failed' ? run.errorSummary : null,
  });

  return {
    async status(
      principal: CustomerPrincipal,
      sourceId: string,
      query: { includeSyncHistory?: boolean | undefined; syncHistoryLimit: number },
    ) {
      const owned = await ctx.requireOwned(principal, sourceId);
      const id = owned.row.id;
      const connection = owned.connection;
      const runs = await history(ctx.db, id, { syncType: 'inventory', limit: 10 });
      const lastSuccess = runs.find((r) => r.status === 'completed');
      const counts = await countsByKind(ctx.db, id);
      const orders = await ctx.db
        .select({
          status: adServerOrders.status,
          lines: adServerOrders.lines,
          createdAt: adServerOrders.createdAt,
        })
        .from(adServerOrders)
        .where(eq(adServerOrders.inventorySourceId, id));
      const lineCount = (status: string) =>
        orders.filter((o) => o.status === status).reduce((n, o) => n + o.lines.length, 0);
      const pending = orders.filter(
        (o) => o.status === 'cleanup_pending' || o.status === 'creating',
      );
      const [recent] = await ctx.db
        .select({ n: sql<number>`coalesce(sum(${adServerDelivery.impressions}), 0)::int` })
        .from(adServerDelivery)
        .where(
          and(
            eq(adServerDelivery.inventorySourceId, id),
            gte(
              adServerDelivery.day,
              new Date(ctx.now().getTime() - 86_400_000).toISOString().slice(0, 10),
            ),
          ),
        );
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
        ...(runs[0]?.status === 'failed'
          ? [
              {
                code: runs[0].errorCategory ?? 'SYNC_FAILED',
                severity: 'warning',
                message: runs[0].errorSummary ?? 'The last sync failed',
                affects: ['discovery'],
              },
            ]
          : []),
        ...pending
          .filter((o) => o.status === 'cleanup_pending')
          .map(() => ({
            code: 'ORDER_CLEANUP_PENDING',
            severity: 'warning',
            message: 'An order left by a failed booking awaits cleanup in the ad server',
            affects: ['delivery'],
          })),
      ];
      const lastImport = connection?.lastReportAt ?? null;
      return {
        operational: {
          isLive: active && products > 0,
          discoveryDegraded: active && runs[0]?.status === 'failed',
          deliveryDegraded: active && pending.some((o) => o.status === 'cleanup_pending'),
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
          openCount: pending.length,
          oldestOpenedAt: pending[0]?.createdAt.toISOString() ?? null,
          byKind: (pending.length ? { order_cleanup: pending.length } : {}) as Record<
            string,
            number
          >,
        },
        packages: {
          activeCount: lineCount('active'),
          pausedCount: lineCount('paused'),
          last24hImpressions: recent?.n ?? 0,
        },
        products: { activeCount: products, draftCount: 0, archivedCount: 0 },
        delivery: {
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
    },

    async syncHistory(
      principal: CustomerPrincipal,
      sourceId: string,
      query: {
        syncType?: string | undefined;
        status?: string | undefined;
        limit: number;
        cursor?: string | undefined;
      },
    ) {
      const owned = await ctx.requireOwned(principal, sourceId);
      const before = query.cursor ? new Date(Number(query.cursor)) : undefined;
      if (before && Number.isNaN(before.getTime())) throw invalid('Unknown cursor', 'cursor');
      const runs = await history(ctx.db, owned.row.id, {
        ...query,
        limit: query.limit + 1,
        before,
      });
      const page = runs.slice(0, query.limit);
      return {
        runs: page.map(runView),
        count: page.length,
        nextCursor: runs.length > query.limit ? String(page.at(-1)!.startedAt.getTime()) : null,
      };
    },

    async refresh(principal: CustomerPrincipal, sourceId: string) {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (owned.connection?.provisioningStatus !== 'active') {
        throw invalid(
          'The ad-server source is not connected: test the connection first',
          'sourceId',
        );
      }
      const { run, already } = await sync.start(owned.row.id);
      return {
        status: already ? ('already_running' as const) : ('started' as const),
        syncRunIds: { inventory: run.id },
        startedAt: run.startedAt.toISOString(),
        runningSyncTypes: ['inventory'],
      };
    },

    /** POST …/refresh for a source of this kind; undefined when the source is of another kind. */
    async refreshIfAdServer(principal: CustomerPrincipal, sourceId: string) {
      const storefront = await ctx.deps.storefronts.requireOwn(principal);
      const row = await ctx.deps.inventorySources.findStored(storefront.id, sourceId);
      if (row?.executionType !== adServerExecutionType) return undefined;
      return this.refresh(principal, sourceId);
    },

    async importDelivery(principal: CustomerPrincipal, sourceId: string) {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (owned.connection?.provisioningStatus !== 'active') {
        throw invalid(
          'The ad-server source is not connected: test the connection first',
          'sourceId',
        );
      }
      return delivery.importFor(owned.row.id);
    },
  };
}

export type Operations = ReturnType<typeof createOperations>;

/** Orders of a source by id (delivery import and the source port). */
export async function ordersOf(ctx: AdServerContext, inventorySourceId: number, ids?: string[]) {
  return ctx.db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, inventorySourceId),
        ids?.length ? inArray(adServerOrders.id, ids) : undefined,
      ),
    );
}
