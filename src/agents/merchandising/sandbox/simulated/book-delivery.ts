import type { SimulateDeliveryParams } from '@adcp/sdk/testing';
import type { MerchandisingDeps } from '../../deps.js';
import type { BookPart } from '../states.js';
import { simulatedMeasurement } from './measurement.js';
import { simulatedReach } from './reach.js';

/**
 * simulate_delivery on the sandbox book's part of a buy: the figures are added to what the book
 * reports for it (get_media_buy_delivery), and answered as the SDK's controller answers them.
 */
export function deliverOnBookPart(
  deps: Pick<MerchandisingDeps, 'sandbox'>,
  part: BookPart,
  params: SimulateDeliveryParams,
) {
  const extra = { ...simulatedReach(part.row, params), ...simulatedMeasurement(params) };
  deps.sandbox.simulateDelivery(part.scope, part.upstreamMediaBuyId, {
    impressions: params.impressions,
    clicks: params.clicks,
    reported_spend: params.reported_spend,
    ...extra,
  });
  return {
    success: true as const,
    simulated: {
      media_buy_id: params.media_buy_id,
      ...(params.impressions !== undefined && { impressions: params.impressions }),
      ...(params.clicks !== undefined && { clicks: params.clicks }),
      ...(params.reported_spend !== undefined && { reported_spend: params.reported_spend }),
      ...(extra.completed_views !== undefined && { completed_views: extra.completed_views }),
      ...(extra.reach !== undefined && { reach: extra.reach }),
      ...(extra.frequency !== undefined && { frequency: extra.frequency }),
      ...(extra.reach_window && { reach_window: extra.reach_window }),
      ...(extra.viewability && { viewability: extra.viewability }),
      ...extra.finality,
      ...(extra.vendor_metric_values && { vendor_metric_values: extra.vendor_metric_values }),
    },
  };
}
