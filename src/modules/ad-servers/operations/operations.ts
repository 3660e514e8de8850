import { invalid } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { adServerExecutionType, type AdServerContext } from '../context.js';
import type { DeliveryImport } from '../reporting/import.js';
import { operationalStatus } from './status.js';
import { history } from '../sync/runs-store.js';
import type { InventorySync } from '../sync/sync.js';
import { runView } from '../views.js';

/*
 * What the operator reads and starts: the operational status (hosted EsaTenantStatus), the sync
 * history, a refresh (a sync run, or the one already running) and a delivery import on demand.
 */
export function createOperations(
  ctx: AdServerContext,
  sync: InventorySync,
  delivery: DeliveryImport,
) {
  return {
    status: (
      principal: CustomerPrincipal,
      sourceId: string,
      query: { includeSyncHistory?: boolean | undefined; syncHistoryLimit: number },
    ) => operationalStatus(ctx, principal, sourceId, query),

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

    async refresh(principal: CustomerPrincipal, sourceId: string, options?: { full?: boolean }) {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (owned.connection?.provisioningStatus !== 'active') {
        throw invalid(
          'The ad-server source is not connected: test the connection first',
          'sourceId',
        );
      }
      const { run, already } = await sync.start(owned.row.id, options);
      return {
        status: already ? ('already_running' as const) : ('started' as const),
        syncRunIds: { inventory: run.id },
        startedAt: run.startedAt.toISOString(),
        runningSyncTypes: ['inventory'],
      };
    },

    /** POST …/refresh for a source of this kind; undefined when the source is of another kind. */
    async refreshIfAdServer(
      principal: CustomerPrincipal,
      sourceId: string,
      options?: { full?: boolean },
    ) {
      const storefront = await ctx.deps.storefronts.requireOwn(principal);
      const row = await ctx.deps.inventorySources.findStored(storefront.id, sourceId);
      if (row?.executionType !== adServerExecutionType) return undefined;
      return this.refresh(principal, sourceId, options);
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
