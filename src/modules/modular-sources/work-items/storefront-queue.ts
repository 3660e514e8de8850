import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { Buys } from '../buys/service.js';
import type { ModularContext } from '../context.js';
import type { WorkItemStatus } from '../tables.js';
import { buyContextDeps, buyContextsOf } from './buy-context.js';
import * as store from './store.js';
import { summaryView } from './views.js';

/**
 * Every open work item of every source of the caller's storefront, in one queue (the console's
 * home and review queues, GET /api/v2/storefront/work-items): the most pressing first, each
 * with its source and its buy, and the counts by kind and by source. Items live on their
 * source (…/{sourceId}/modular/work-items/{id} completes them).
 */
export function createStorefrontQueue(ctx: ModularContext, flow: Pick<Buys, 'statusOf'>) {
  return {
    /** Open work items per (source id, the source's own media buy id): the orders list's counts. */
    async openByBuy(storefrontId: number) {
      const sources = new Map(
        (await ctx.deps.inventorySources.allRowsOf(storefrontId)).map((s) => [s.id, s.sourceId]),
      );
      return (await store.openCountsByBuy(ctx.db, storefrontId)).flatMap((r) => {
        const sourceId = sources.get(r.inventorySourceId);
        return sourceId && r.mediaBuyId ? [{ sourceId, mediaBuyId: r.mediaBuyId, count: r.n }] : [];
      });
    },

    async list(
      principal: CustomerPrincipal,
      filter: { status?: WorkItemStatus[] | undefined; kind?: string[] | undefined; limit: number },
    ) {
      const storefront = await ctx.deps.storefronts.requireOwn(principal);
      const sources = new Map(
        (await ctx.deps.inventorySources.allRowsOf(storefront.id)).map((s) => [s.id, s]),
      );
      const { items, counts } = await store.listOfStorefront(ctx.db, storefront.id, filter);
      const buys = await buyContextsOf(buyContextDeps(ctx, flow), items);
      const sourceOf = (id: number) => {
        const row = sources.get(id);
        return {
          sourceId: row?.sourceId ?? String(id),
          name: row?.name ?? null,
          executionType: row?.executionType ?? null,
        };
      };
      const countsByKind: Record<string, number> = {};
      const bySource = new Map<number, number>();
      for (const c of counts) {
        countsByKind[c.kind] = (countsByKind[c.kind] ?? 0) + c.n;
        bySource.set(c.inventorySourceId, (bySource.get(c.inventorySourceId) ?? 0) + c.n);
      }
      const kinds = filter.kind?.length ? new Set(filter.kind) : undefined;
      return {
        items: items.map((i) => ({
          ...summaryView(i, buys.get(i.id) ?? null),
          source: sourceOf(i.inventorySourceId),
        })),
        total: counts.filter((c) => !kinds || kinds.has(c.kind)).reduce((n, c) => n + c.n, 0),
        countsByKind,
        countsBySource: [...bySource.entries()]
          .map(([id, count]) => {
            const { sourceId, name, executionType } = sourceOf(id);
            return { sourceId, name, executionType, count };
          })
          .sort((a, b) => b.count - a.count || a.sourceId.localeCompare(b.sourceId)),
      };
    },
  };
}
