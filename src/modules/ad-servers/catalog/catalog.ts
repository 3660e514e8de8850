import { invalid } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { AdServerContext } from '../context.js';
import { productsFor } from '../product-set.js';
import { ordersPage } from '../booking/orders-store.js';
import type { OrderListQuery } from './schemas.js';

/*
 * What an ad-server source sells and what it has placed, as its operator sees it (the console's
 * source page): the products its synced inventory makes, exactly as the storefront's
 * Merchandising Agent is served them (products.ts), and its orders in the ad server, newest
 * first, with the ad server's own status (an order `approving` waits for the ad server's
 * approver: booking/follow.ts).
 */
export function createCatalog(ctx: AdServerContext) {
  return {
    /**
     * A page of the products of an active connection (none before its connection test passes),
     * in its own order, and how many there are in all.
     */
    async products(
      principal: CustomerPrincipal,
      sourceId: string,
      query: { limit: number; offset?: number },
    ) {
      const owned = await ctx.requireOwned(principal, sourceId);
      const connection = owned.connection;
      if (connection?.provisioningStatus !== 'active') {
        return { sourceId: owned.row.sourceId, products: [], total: 0 };
      }
      const products = await productsFor(ctx, connection);
      const offset = query.offset ?? 0;
      // Plain JSON objects: the wire shape the route documents loosely (any AdCP field passes).
      return {
        sourceId: owned.row.sourceId,
        products: products.slice(offset, offset + query.limit).map((p) => ({ ...p })),
        total: products.length,
      };
    },

    /** The source's orders, newest first, a page at a time (the cursor is the last one's time). */
    async orders(principal: CustomerPrincipal, sourceId: string, query: OrderListQuery) {
      const owned = await ctx.requireOwned(principal, sourceId);
      const before = query.cursor ? new Date(Number(query.cursor)) : undefined;
      if (before && Number.isNaN(before.getTime())) throw invalid('Unknown cursor', 'cursor');
      const rows = await ordersPage(ctx.db, owned.row.id, {
        status: query.status,
        before,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return {
        orders: page.map((o) => ({
          mediaBuyId: o.id,
          buyerCustomerId: o.buyerCustomerId,
          status: o.status,
          adServerOrderId: o.externalOrderId,
          adServerStatus: o.adServerStatus,
          adServerCheckedAt: o.adServerCheckedAt?.toISOString() ?? null,
          currency: o.currency,
          budget: o.lines.reduce((sum, line) => sum + line.budget, 0),
          lines: o.lines.map((line) => ({
            packageId: line.packageId,
            productId: line.productId,
            budget: line.budget,
            cpm: line.cpm,
            lineItemId: line.lineItemId ?? null,
          })),
          startTime: o.startTime.toISOString(),
          endTime: o.endTime.toISOString(),
          error: o.error ?? null,
          createdAt: o.createdAt.toISOString(),
        })),
        count: page.length,
        nextCursor: rows.length > query.limit ? String(page.at(-1)!.createdAt.getTime()) : null,
      };
    },
  };
}

export type AdServerCatalog = ReturnType<typeof createCatalog>;
