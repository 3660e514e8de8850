import type { StoredSourceRow } from '../../inventory-sources/index.js';
import { AdServerError } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { BookingRefused, type OrderRow } from './booking-request.js';
import { cents, impressionsFor } from '../../../sources/money.js';

/*
 * A buyer's cancel of an order (issue 44, item 4). The order is archived in the ad server by its
 * API, and nobody needs to act. When the ad server cannot take it down (it refuses or fails, or
 * the source is no longer connected), the buyer's cancel still stands: the buy reads canceled
 * and a person must archive the order by hand, so the seller gets a HIGH work item
 * (APPROVE_MEDIA_BUY_CANCELLATION, the kind modular sources open for a buy a person trafficked)
 * naming the order, the buyer, brand, PO, budget and flight. The item is opened before the
 * order is marked canceled: a cancel cut short between the two is retried and finds the item.
 */

export const cancellationKind = 'APPROVE_MEDIA_BUY_CANCELLATION';

const systemNames: Record<string, string> = {
  google_ad_manager: 'Ad Manager',
  freewheel: 'FreeWheel',
  springserve: 'SpringServe',
};

/** Takes the order down in the ad server, or hands it to the seller; throws if it can do neither. */
export async function cancelOrder(
  ctx: AdServerContext,
  source: StoredSourceRow,
  order: OrderRow,
  connection: ConnectionRow | undefined,
): Promise<void> {
  // Nothing was written to the ad server, or it is already taken down.
  if (!order.externalOrderId || order.status === 'canceled') return;
  let reason = `the source ${source.sourceId} is not connected`;
  if (connection?.provisioningStatus === 'active') {
    try {
      await ctx.adapterFor(connection).archiveOrder(order.externalOrderId);
      return;
    } catch (failure) {
      if (!(failure instanceof AdServerError)) throw failure;
      ctx.deps.onError?.(failure, `ad-server source ${source.id}: cancel of ${order.id}`);
      reason = `the ad server answered ${failure.code}`;
    }
  }
  if (!ctx.deps.workQueue) {
    throw new BookingRefused(
      'SERVICE_UNAVAILABLE',
      'The ad server is unavailable; try again later',
    );
  }
  const system = systemNames[connection?.type ?? ''] ?? 'the ad server';
  const request = order.request as { brandName?: string; poNumber?: string | null };
  const brand = request.brandName?.startsWith('Interchange buyer ') ? null : request.brandName;
  const budget = order.lines.reduce((n, l) => n + l.budget, 0);
  await ctx.deps.workQueue.open({
    storefrontId: source.storefrontId,
    inventorySourceId: source.id,
    stage: 'UPDATE_CAMPAIGN',
    kind: cancellationKind,
    priority: 'HIGH',
    title: `Archive order ${order.externalOrderId} in ${system}: its buyer canceled media buy ${order.id}`,
    description: `Interchange canceled the buy, but could not archive the order itself (${reason}); complete this once the order no longer serves.`,
    resourceType: 'MEDIA_BUY',
    resourceId: order.id,
    buyerCustomerId: order.buyerCustomerId,
    mediaBuy: {
      mediaBuyId: order.id,
      status: 'canceled',
      buyer: { customerId: order.buyerCustomerId, name: null },
      brandDomain: brand ?? null,
      poNumber: request.poNumber ?? null,
      budget: { amount: cents(budget), currency: order.currency },
      flight: { startTime: order.startTime.toISOString(), endTime: order.endTime.toISOString() },
      products: order.lines.map((l) => ({
        packageId: l.packageId,
        availId: l.productId,
        name: null,
        impressions: impressionsFor(l.budget, l.cpm),
        budget: l.budget,
        cpm: l.cpm,
        currency: order.currency,
      })),
      holdExpiresAt: null,
    },
    payload: {
      change: 'cancel',
      canceledAt: ctx.now().toISOString(),
      adServer: connection?.type ?? null,
      externalOrderId: order.externalOrderId,
      lineItemIds: order.lines.flatMap((l) => (l.lineItemId ? [l.lineItemId] : [])),
      reason,
    },
  });
}
