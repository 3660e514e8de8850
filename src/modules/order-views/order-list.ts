import type { Db } from '../../platform/db/database.js';
import { latestDeliveriesOf } from '../merchandising-events/index.js';
import {
  compareKeys,
  cursorOf,
  keyOf,
  keyOfCursor,
  type Order,
  orderOf,
  type OrderPorts,
} from './orders.js';
import { mediaBuysOf, storefrontCurrencyOf } from './store.js';
import type { SellerMediaBuyStatus } from './views.js';

/** The orders list's filters (hosted listStorefrontMediaBuys' query, without the paging). */
export interface OrderFilter {
  status?: SellerMediaBuyStatus | undefined;
  buyerCustomerId?: number | undefined;
  sourceId?: string | undefined;
  flightStartFrom?: string | undefined;
  flightStartTo?: string | undefined;
}

export interface OrderPage {
  skip: number;
  take: number;
  cursor?: string | undefined;
}

/**
 * Every media buy of a storefront with what a seller runs its day with (orders.ts), filtered and
 * in the list's order. The status is derived from the buy's legs and events, so it is filtered
 * here rather than in SQL; buyer and source are filtered in the query.
 */
export function createOrderList(deps: { db: Db; ports: OrderPorts; now: () => Date }) {
  const { db, ports } = deps;

  /** The storefront's orders as of `now` (pacing is figured to that moment). */
  async function ordersOf(
    storefrontId: number,
    filter: OrderFilter,
    now = deps.now(),
  ): Promise<Order[]> {
    const [rows, deliveries, work, names, currency] = await Promise.all([
      mediaBuysOf(db, storefrontId, filter),
      latestDeliveriesOf(db, storefrontId),
      ports.openWorkItems?.(storefrontId) ?? [],
      ports.sourceNames?.(storefrontId) ?? new Map<string, string>(),
      storefrontCurrencyOf(db, storefrontId),
    ]);
    const openOf = new Map<string, number>();
    for (const w of work) openOf.set(`${w.sourceId}\u0000${w.mediaBuyId}`, w.count);
    const from = filter.flightStartFrom ? Date.parse(filter.flightStartFrom) : -Infinity;
    const to = filter.flightStartTo ? Date.parse(filter.flightStartTo) : Infinity;
    const orders = rows
      .map((row) =>
        orderOf(row, {
          last: deliveries.get(row.buy.mediaBuyId),
          // A source's work items name its own buy (the leg's upstream id).
          openWorkItems: (row.buy.forwardResult ?? []).reduce(
            (n, leg) =>
              n +
              (openOf.get(`${leg.sourceId}\u0000${leg.upstreamMediaBuyId ?? row.buy.mediaBuyId}`) ??
                0),
            0,
          ),
          sourceNames: names,
          currency,
          now,
        }),
      )
      .filter((o) => !filter.status || o.status === filter.status)
      .filter((o) => {
        if (!filter.flightStartFrom && !filter.flightStartTo) return true;
        const start = o.flightStart ? Date.parse(o.flightStart) : NaN;
        return start >= from && start <= to;
      });
    return orders
      .map((o) => ({ o, key: keyOf(o, now) }))
      .sort((a, b) => compareKeys(a.key, b.key))
      .map((x) => x.o);
  }

  return {
    ordersOf,

    /**
     * One page: after the cursor's row when one is given (a cursor names a row's place in the
     * order, so rows added meanwhile neither repeat nor vanish), then `skip` more; `nextCursor`
     * names the page's last row while rows follow it.
     */
    async page(storefrontId: number, filter: OrderFilter, page: OrderPage) {
      const now = deps.now();
      const all = await ordersOf(storefrontId, filter);
      const after = page.cursor ? keyOfCursor(page.cursor) : undefined;
      const start = after ? all.findIndex((o) => compareKeys(keyOf(o, now), after) > 0) : 0;
      const from = (start < 0 ? all.length : start) + page.skip;
      const items = all.slice(from, from + page.take);
      const last = items.at(-1);
      return {
        items,
        total: all.length,
        nextCursor: last && from + items.length < all.length ? cursorOf(keyOf(last, now)) : null,
      };
    },
  };
}

export type OrderList = ReturnType<typeof createOrderList>;
