import type { GetMediaBuysResponse } from '@adcp/sdk/types';
import type { ForwardLeg, MediaBuyRow } from '../../../../modules/orders/index.js';
import { parseProductId } from '../../products/product-ids.js';
import { submittedPackageOf } from '../submitted-package.js';

type WireBuy = GetMediaBuysResponse['media_buys'][number];
/** A part of a buy as a source answers it; the currency is the source's to say. */
export type PartOfBuy = Omit<WireBuy, 'currency'> & { currency?: string };

/**
 * A part of a buy its source did not answer for on this read (its read failed, or its answer
 * left the buy out): the storefront's own record of it, in the source's terms as a source's
 * answer is, so the buyer still sees every package it bought. Each package as booked (its
 * product, pricing option, budget and flight as the buyer sent them; a budget its source
 * confirmed after an update as confirmed), the status the source last answered (pending_start
 * when it never said), and what it last said may be done next. Later pacing changes are the
 * source's to report: the answer's `errors[]` says this part is the record, not its word.
 */
export function recordedPart(row: MediaBuyRow, leg: ForwardLeg): PartOfBuy {
  const packages = (leg.packages ?? []).flatMap((recorded) => {
    const bought = submittedPackageOf(row, recorded.packageId);
    if (!bought) return [];
    const productId = parseProductId(recorded.productId, [leg.sourceId])?.upstreamProductId;
    return [
      {
        package_id: recorded.upstreamPackageId,
        ...(productId && { product_id: productId }),
        pricing_option_id: bought.pricing_option_id,
        // The budget its source last confirmed after an update, else as bought.
        budget: recorded.budget ?? bought.budget,
        ...(bought.pacing && { pacing: bought.pacing }),
        ...(bought.start_time && { start_time: bought.start_time }),
        ...(bought.end_time && { end_time: bought.end_time }),
      },
    ];
  });
  return {
    media_buy_id: leg.upstreamMediaBuyId ?? '',
    // Recorded from a source's answer: one of AdCP's statuses, as that source said it.
    status: (leg.mediaBuyStatus ?? 'pending_start') as WireBuy['status'],
    // Recorded from the source's answer's valid_actions: AdCP's actions, as that source said them.
    ...(leg.validActions && { valid_actions: leg.validActions as WireBuy['valid_actions'] }),
    total_budget: packages.reduce((sum, p) => sum + (p.budget ?? 0), 0),
    packages,
  };
}
