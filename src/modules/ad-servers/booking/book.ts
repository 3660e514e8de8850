import { randomUUID } from 'node:crypto';
import type { AdServerContext, ConnectionRow } from '../context.js';
import type { BookingRequest, OrderRow } from './booking-request.js';
import type { OrderFollower } from './follow.js';
import { insertOrder, orderByKey, orderSaver } from './orders-store.js';
import { planOrder } from './plan.js';
import { trafficOrder } from './traffic.js';

/*
 * A buy placed in the ad server (after the storefront's approval gate: the storefront forwards a
 * buy to its sources only once its operator approved it, docs/ad-servers.md). The order row is
 * recorded before the first write, keyed by the buyer's idempotency key, so a retry answers the
 * same order and a crash mid-creation resumes it: the order is looked up by its name before a
 * second is created. All line items are created in one call (all or none); if that fails the
 * order is archived, so no empty order is left trafficked; if even the archive fails the order
 * is kept as cleanup_pending, which the operator sees in status.
 */

export async function placeOrder(
  ctx: AdServerContext,
  connection: ConnectionRow,
  request: BookingRequest,
  follower?: OrderFollower,
): Promise<OrderRow> {
  const id = connection.inventorySourceId;
  const byKey = () => orderByKey(ctx.db, id, request.buyerCustomerId, request.idempotencyKey);
  const existing = await byKey();
  if (existing && existing.status !== 'creating') return existing;

  // Plan every line before writing anything: an unknown product or targeting refuses the buy.
  const plan = await planOrder(ctx, connection, request);
  // Recorded (status creating) before the first write to the ad server.
  const row =
    existing ??
    (await insertOrder(ctx.db, {
      id: `gam_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      inventorySourceId: id,
      buyerCustomerId: request.buyerCustomerId,
      idempotencyKey: request.idempotencyKey,
      status: 'creating',
      request: {
        brandName: request.brandName,
        poNumber: request.poNumber ?? null,
        // The test controller acts on a sandbox account's order only (sandbox/).
        ...(request.sandbox && { sandbox: true }),
      },
      lines: plan.recorded,
      currency: plan.currency,
      startTime: request.start,
      endTime: request.end,
    }));
  // Another request with this key won the race: answer its order once it settles.
  if (!row) return (await byKey())!;
  const save = orderSaver(ctx.db, ctx.now, row.id);
  return trafficOrder(ctx, connection, row, request, plan, save, follower);
}
