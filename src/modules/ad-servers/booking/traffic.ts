import { AdServerError } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { type BookingRequest, BookingRefused, type OrderRow } from './booking-request.js';
import type { OrderPlan } from './plan.js';
import { advertiserOf, attachCreatives } from './creative-changes.js';
import type { OrderFollower } from './follow.js';
import type { SaveOrder } from './orders-store.js';

/**
 * Writes a recorded order to the ad server: the advertiser (the connection's default, else one
 * by brand), the order (found by its name first, so a resumed attempt does not create a second),
 * all line items in one call (all or none: on a refusal the order is archived, or left
 * cleanup_pending if even that fails), the packages' creatives, then the order's approval
 * (followed until the order serves where the ad server has an approval of its own).
 */
export async function trafficOrder(
  ctx: AdServerContext,
  connection: ConnectionRow,
  row: OrderRow,
  request: BookingRequest,
  { lines, creatives, recorded, currency }: OrderPlan,
  save: SaveOrder,
  follower?: OrderFollower,
): Promise<OrderRow> {
  const adapter = ctx.adapterFor(connection);
  // A sandbox account's buy is marked in the network itself: Ad Manager has no per-order test
  // flag (its test networks are whole networks: "Test networks cannot serve ads"), so the order's
  // name and notes say whose sandbox buy it is, and it is never approved there (below).
  const orderName = request.sandbox ? `Interchange sandbox ${row.id}` : `Interchange ${row.id}`;
  const advertiserId = await advertiserOf(adapter, connection, request.brandName);
  let orderId = row.externalOrderId ?? (await adapter.findOrder(orderName));
  if (!orderId)
    orderId = await adapter.createOrder({
      name: orderName,
      advertiserId,
      ...(request.poNumber && { poNumber: request.poNumber }),
      ...(request.sandbox && {
        notes: `Sandbox buy of Interchange buyer ${request.buyerCustomerId}: a test, never to be approved or served`,
      }),
    });
  await save({ externalOrderId: orderId });

  let lineItemIds: string[];
  try {
    lineItemIds = await adapter.createLineItems(orderId, lines, currency);
  } catch (error) {
    const reason =
      error instanceof AdServerError ? error.message : 'The ad server refused the line items';
    try {
      await adapter.archiveOrder(orderId);
      await save({ status: 'failed', error: { code: 'LINE_ITEM_REFUSED', message: reason } });
    } catch {
      await save({
        status: 'cleanup_pending',
        error: { code: 'LINE_ITEM_REFUSED', message: reason },
      });
    }
    throw new BookingRefused(
      'INVALID_REQUEST',
      `The ad server refused a line item: ${reason.replace(/^Ad Manager refused the call: /, '')}`,
    );
  }

  const withIds = recorded.map((line, i) => ({ ...line, lineItemId: lineItemIds[i]! }));
  await save({ lines: withIds });
  // Creatives that travel on the packages (planned and checked with the order): created in
  // the ad server, then associated with their line item (creative-changes.ts).
  for (const i of request.packages.keys()) {
    const line = {
      lineItemId: lineItemIds[i]!,
      mediaType: lines[i]!.mediaType,
      sandbox: Boolean(request.sandbox),
    };
    const attached = await attachCreatives(adapter, advertiserId, line, creatives[i] ?? []);
    withIds[i] = {
      ...withIds[i]!,
      creatives: attached,
      creativeIds: attached.map((c) => c.adServerId),
    };
  }
  // A sandbox buy's order stays unapproved in the ad server: only approved orders serve, so its
  // lines never deliver, even in a production network. To the buyer it is live (sandbox/).
  if (request.sandbox) return save({ lines: withIds, status: 'active' });
  if (follower && adapter.orderState) {
    // Followed through the ad server's own approval until it serves (booking/follow.ts): the
    // follow job is queued before the approval, so a crash after this point resumes it.
    const approving = await save({ lines: withIds, status: 'approving' });
    await follower.begin(row.id);
    await adapter.approveOrder(orderId);
    try {
      return (await follower.check(row.id, false)) ?? approving;
    } catch {
      return approving;
    }
  }
  await adapter.approveOrder(orderId);
  return save({ lines: withIds, status: 'active' });
}
