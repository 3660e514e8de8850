import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.js';
import type { AdServerContext } from '../context.js';
import { ordersInStatus, sourcesWithLiveOrders } from '../booking/orders-store.js';
import { updateConnection } from '../connections/connections-store.js';
import { deliveryOfOrders } from './delivery-store.js';
import { importReportPages, recordDeliveryRun, type PagedImport } from './delivery-pages.js';

/*
 * Delivery imported from the ad server's report API, on a schedule (a sweep job queues one
 * import per connected source with live orders, then the next sweep) and on demand: one row per
 * line item and day, replaced by each import, written page by page (delivery-pages.ts) and
 * recorded as a `delivery` run in sync-history, read by the source port's get_media_buy_delivery
 * (and so by the storefront's own delivery import, docs/reporting.md).
 */

export interface DeliveryImport {
  importFor(
    inventorySourceId: number,
  ): Promise<{ rows: number; importedAt: string; partial: boolean }>;
  startSweeps(): Promise<void>;
}

export function createDeliveryImport(ctx: AdServerContext): DeliveryImport {
  const interval = ctx.deps.reportIntervalSeconds ?? 3600;
  const importJob = defineJob({
    name: 'ad-server.import-delivery',
    payload: z.object({ inventorySourceId: z.number().int() }),
    singleton: 'queued-and-running',
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    handler: async ({ inventorySourceId }) => {
      await delivery.importFor(inventorySourceId);
    },
  });
  const sweepJob = defineJob({
    name: 'ad-server.delivery-sweep',
    payload: z.object({}),
    singleton: 'queued',
    handler: async () => {
      for (const id of await sourcesWithLiveOrders(ctx.db)) {
        await ctx.deps.jobs.send(
          importJob,
          { inventorySourceId: id },
          { singletonKey: String(id) },
        );
      }
      await ctx.deps.jobs.send(sweepJob, {}, { delaySeconds: interval });
    },
  });
  ctx.deps.jobs.define(importJob);
  ctx.deps.jobs.define(sweepJob);

  const delivery: DeliveryImport = {
    async importFor(inventorySourceId) {
      const connection = await ctx.connectionOf(inventorySourceId);
      const importedAt = ctx.now();
      if (!connection || connection.provisioningStatus !== 'active')
        return { rows: 0, importedAt: importedAt.toISOString(), partial: false };
      const orders = await ordersInStatus(ctx.db, inventorySourceId, [
        'active',
        'paused',
        'canceled',
      ]);
      const lineOrder = new Map<string, string>();
      for (const order of orders)
        for (const line of order.lines)
          if (line.lineItemId) lineOrder.set(line.lineItemId, order.id);
      let outcome: PagedImport = { rows: 0, complete: true, unreadable: 0 };
      if (lineOrder.size) {
        const from = orders.map((o) => o.startTime).sort((a, b) => a.getTime() - b.getTime())[0]!;
        const day = (d: Date) => d.toISOString().slice(0, 10);
        try {
          outcome = await importReportPages(ctx, connection, lineOrder, {
            from: day(from),
            to: day(importedAt),
            importedAt,
          });
        } catch (error) {
          await recordDeliveryRun(ctx, inventorySourceId, importedAt, { error });
          throw error;
        }
      }
      await recordDeliveryRun(ctx, inventorySourceId, importedAt, outcome);
      await updateConnection(ctx.db, inventorySourceId, { lastReportAt: importedAt });
      return {
        rows: outcome.rows,
        importedAt: importedAt.toISOString(),
        partial: !outcome.complete || outcome.unreadable > 0,
      };
    },
    async startSweeps() {
      if (interval > 0) await ctx.deps.jobs.send(sweepJob, {});
    },
  };
  return delivery;
}

/** Delivery of orders, summed per line item (the source port's get_media_buy_delivery). */
export function deliveryOf(ctx: AdServerContext, inventorySourceId: number, orderIds: string[]) {
  return deliveryOfOrders(ctx.db, inventorySourceId, orderIds);
}
