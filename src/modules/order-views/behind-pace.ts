import type { Db } from '../../platform/db/database.js';
import type { OrderList } from './order-list.js';
import { storefrontsWithBuysSince } from './store.js';

/** A buy trailing its flight's straight-line pace, as its buyer hears of it. */
export interface BehindPaceBuy {
  mediaBuyId: string;
  storefrontId: number;
  buyerCustomerId: number;
  deliveredSpend: number;
  expectedSpend: number;
  pacingRatio: number;
}

/** Behind pace: delivered spend under three quarters of what the straight line expects by now. */
export const behindPaceRatio = 0.75;
const day = 86_400_000;
/** The longest flight the sweep looks back for: a buy placed earlier has ended. */
const longestFlight = 400 * day;
const running = new Set(['booked', 'delivering']);

/**
 * Buys booked or delivering, at least a day into a flight not yet over, whose pacing (the orders
 * list's own figure, orders.ts pacingOf) is under `behindPaceRatio`. A day in first: before that
 * a source's first report may simply not have come.
 */
export async function behindPaceBuys(db: Db, orders: OrderList, now: Date) {
  const out: BehindPaceBuy[] = [];
  for (const storefrontId of await storefrontsWithBuysSince(
    db,
    new Date(now.getTime() - longestFlight),
  )) {
    for (const o of await orders.ordersOf(storefrontId, {}, now)) {
      // An `asap` start counts from when the buy was placed, as its pacing does.
      const start = Date.parse(o.flightStart ?? o.createdAt);
      const end = o.flightEnd ? Date.parse(o.flightEnd) : NaN;
      const { pacingRatio, expectedSpend, deliveredSpend } = o.pacing;
      if (!running.has(o.status) || !(start <= now.getTime() - day) || !(end > now.getTime()))
        continue;
      if (pacingRatio === null || expectedSpend === null || pacingRatio >= behindPaceRatio)
        continue;
      out.push({
        mediaBuyId: o.mediaBuyId,
        storefrontId,
        buyerCustomerId: o.buyer.customerId,
        deliveredSpend,
        expectedSpend,
        pacingRatio,
      });
    }
  }
  return out;
}
