import { isRecord } from '../../../platform/is-record.js';
import type { AdServerContext } from '../context.js';
import { ordersOfBuyer, updateOrder, type OrderRow } from '../booking/orders-store.js';
import { orderDeliveryOfDay, upsertDeliveryRows } from '../reporting/delivery-store.js';
import type { ControllerAnswer } from './fixtures.js';
import {
  controllerViewability,
  notMeasured,
  viewabilityColumnsOf,
  withViewability,
  type RowViewability,
} from '../../../sources/viewability.js';

/**
 * The test controller's scenarios on a sandbox buy an ad-server source booked (issue 70, item
 * 2), forwarded by the storefront (agents/merchandising/sandbox/fixtures/buy-route.ts). The
 * order's lines never serve (booking/traffic.ts), so its network reports nothing: simulate_delivery
 * writes the delivery the source's report import would have (ad_server_delivery, by line item
 * and today's day, viewability included: sources/viewability.ts), which get_media_buy_delivery
 * reads; force_media_buy_status sets the order's
 * status as the source records it (the statuses an order shows: active, paused, canceled,
 * rejected; others are refused with the reason). Only the caller's own sandbox order.
 */

const refused = (error: string, detail: string): ControllerAnswer => ({
  success: false,
  error,
  error_detail: detail,
});
const countOf = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
/** The statuses an ad-server order shows a buyer (source-kinds/ad-server/source.ts statusOf). */
const forcible = new Set(['active', 'paused', 'canceled', 'rejected']);

export function adServerSimulations(ctx: AdServerContext) {
  async function sandboxOrder(
    inventorySourceId: number,
    customerId: number,
    mediaBuyId: unknown,
  ): Promise<{ order: OrderRow } | { refusal: ControllerAnswer }> {
    if (typeof mediaBuyId !== 'string' || !mediaBuyId || mediaBuyId.length > 200) {
      return { refusal: refused('INVALID_PARAMS', 'params.media_buy_id is required') };
    }
    const [order] = await ordersOfBuyer(ctx.db, inventorySourceId, customerId, [mediaBuyId]);
    if (!order) return { refusal: refused('NOT_FOUND', `No media buy ${mediaBuyId} of yours`) };
    if (order.request['sandbox'] !== true) {
      const detail = `Media buy ${mediaBuyId} is not a sandbox buy: the test controller changes sandbox buys only`;
      return { refusal: refused('FORBIDDEN', detail) };
    }
    return { order };
  }

  async function simulate(order: OrderRow, params: Record<string, unknown>) {
    const lines = order.lines.filter((l) => l.lineItemId);
    if (!lines.length) return refused('INVALID_STATE', 'The order has no line items yet');
    const day = ctx.now().toISOString().slice(0, 10);
    const today = await orderDeliveryOfDay(ctx.db, order.inventorySourceId, order.id, day);
    const budget = lines.reduce((n, l) => n + l.budget, 0) || 1;
    const spend = isRecord(params['reported_spend'])
      ? params['reported_spend']['amount']
      : undefined;
    const added = {
      impressions: countOf(params['impressions']),
      clicks: countOf(params['clicks']),
    };
    const seen = controllerViewability(params['viewability']);
    if (seen && 'refused' in seen) return refused('INVALID_PARAMS', seen.refused);
    const viewabilities: RowViewability[] = [];
    for (const line of lines) {
      const share = line.budget / budget;
      const day = today.find((r) => r.lineItemId === line.lineItemId);
      const was = day ? viewabilityColumnsOf(day) : notMeasured;
      const measurable = Math.round((seen?.measurable ?? 0) * share);
      const viewability = seen
        ? withViewability(was, {
            ...seen,
            measurable,
            viewable: Math.min(measurable, Math.round(seen.viewable * share)),
          })
        : was;
      if ('refused' in viewability) return refused('INVALID_PARAMS', viewability.refused);
      viewabilities.push(viewability);
    }
    await upsertDeliveryRows(
      ctx.db,
      lines.map((line, index) => {
        const share = line.budget / budget;
        const was = today.find((r) => r.lineItemId === line.lineItemId);
        const impressions = (was?.impressions ?? 0) + Math.round(added.impressions * share);
        const lineSpend =
          typeof spend === 'number' && spend >= 0
            ? spend * share
            : Number(was?.spend ?? 0) + (Math.round(added.impressions * share) * line.cpm) / 1000;
        return {
          inventorySourceId: order.inventorySourceId,
          orderId: order.id,
          lineItemId: line.lineItemId!,
          day,
          impressions,
          clicks: (was?.clicks ?? 0) + Math.round(added.clicks * share),
          spend: lineSpend.toFixed(4),
          ...viewabilities[index]!,
        };
      }),
    );
    return {
      success: true,
      simulated: {
        media_buy_id: order.id,
        ...added,
        ...(seen && { viewability: params['viewability'] }),
      },
      message:
        'Delivery recorded as the ad server would report it (the sandbox order never serves)',
    };
  }

  return {
    /** simulate_delivery, simulate_budget_spend or force_media_buy_status on a sandbox order. */
    async onBuy(
      inventorySourceId: number,
      customerId: number,
      scenario: string,
      params: Record<string, unknown>,
    ): Promise<ControllerAnswer> {
      const found = await sandboxOrder(inventorySourceId, customerId, params['media_buy_id']);
      if ('refusal' in found) return found.refusal;
      if (scenario !== 'force_media_buy_status') return simulate(found.order, params);
      const status = params['status'];
      if (typeof status !== 'string' || !forcible.has(status)) {
        return refused(
          'INVALID_PARAMS',
          `An ad-server order can be forced to ${[...forcible].join(', ')} only`,
        );
      }
      const previous = found.order.status;
      // Kept as forced: an active one stands even while a package waits for creatives.
      await updateOrder(ctx.db, found.order.id, {
        status,
        request: { ...found.order.request, forcedStatus: status },
        updatedAt: ctx.now(),
      });
      return { success: true, previous_state: previous, current_state: status };
    },
  };
}

export type AdServerSimulations = ReturnType<typeof adServerSimulations>;
