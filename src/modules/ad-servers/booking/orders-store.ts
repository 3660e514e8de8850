import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { adServerOrders } from '../tables.js';
import type { BookingRequest, OrderRow } from './booking-request.js';
import type { OrderPlan } from './plan.js';

/** The order a buyer's idempotency key names at this source, if any. */
export async function orderByKey(
  ctx: AdServerContext,
  inventorySourceId: number,
  request: Pick<BookingRequest, 'buyerCustomerId' | 'idempotencyKey'>,
): Promise<OrderRow | undefined> {
  const [found] = await ctx.db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, inventorySourceId),
        eq(adServerOrders.buyerCustomerId, request.buyerCustomerId),
        eq(adServerOrders.idempotencyKey, request.idempotencyKey),
      ),
    );
  return found;
}

/**
 * Records a new order row (status `creating`) before the first write to the ad server, keyed
 * by the buyer's idempotency key; undefined when another request with the same key recorded
 * one first.
 */
export async function insertOrder(
  ctx: AdServerContext,
  connection: ConnectionRow,
  request: BookingRequest,
  { recorded, currency }: OrderPlan,
): Promise<OrderRow | undefined> {
  const [row] = await ctx.db
    .insert(adServerOrders)
    .values({
      id: `gam_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      inventorySourceId: connection.inventorySourceId,
      buyerCustomerId: request.buyerCustomerId,
      idempotencyKey: request.idempotencyKey,
      status: 'creating',
      request: { brandName: request.brandName, poNumber: request.poNumber ?? null },
      lines: recorded,
      currency,
      startTime: request.start,
      endTime: request.end,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Saves fields of one order row (and its updatedAt), answering the row as saved. */
export type SaveOrder = (fields: Partial<typeof adServerOrders.$inferInsert>) => Promise<OrderRow>;

export function orderSaver(ctx: AdServerContext, orderId: string): SaveOrder {
  return async (fields) => {
    const [saved] = await ctx.db
      .update(adServerOrders)
      .set({ ...fields, updatedAt: ctx.now() })
      .where(eq(adServerOrders.id, orderId))
      .returning();
    return saved!;
  };
}
