import type { LinePlan } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { keyValueIds, resolveProduct } from '../products.js';
import { type BookingRequest, BookingRefused, type OrderRow } from './booking-request.js';
import { packageCreatives, type PlannedCreative } from './creatives.js';
import { impressionsFor } from '../../../sources/money.js';

/** A buy's line items as the ad server is asked for them, and as the order row records them. */
export interface OrderPlan {
  lines: LinePlan[];
  /** Each line's creatives, planned and checked against its product (booking/creatives.ts). */
  creatives: PlannedCreative[][];
  recorded: OrderRow['lines'];
  currency: string;
}

/**
 * Plans every line of a buy before anything is written: each package's product resolved to its
 * rule (ad units, placements, CPM, sizes, media) and key-values, its line at the CPM the
 * storefront quoted (else the rule's), its creatives checked against
 * what the product sells; an unknown product, a budget under the minimum spend, targeting the ad
 * server lacks or a creative the product cannot show refuses the buy.
 */
export async function planOrder(
  ctx: AdServerContext,
  connection: ConnectionRow,
  request: BookingRequest,
): Promise<OrderPlan> {
  const id = connection.inventorySourceId;
  const lines: LinePlan[] = [];
  const creatives: PlannedCreative[][] = [];
  const recorded: OrderRow['lines'] = [];
  let currency = 'USD';
  for (const pkg of request.packages) {
    const product = await resolveProduct(ctx, connection, pkg.productId, request.sandbox?.products);
    if (!product)
      throw new BookingRefused(
        'PRODUCT_NOT_FOUND',
        `No product ${pkg.productId}`,
        'packages.product_id',
      );
    if (product.rule.minSpend && pkg.budget < product.rule.minSpend) {
      throw new BookingRefused(
        'BUDGET_TOO_LOW',
        `Package ${pkg.packageId} is below the minimum spend of ${product.rule.minSpend}`,
        'packages.budget',
      );
    }
    const kv = await keyValueIds(ctx, id, product.rule.keyValues);
    if (kv.missing.length) {
      throw new BookingRefused(
        'PRODUCT_UNAVAILABLE',
        `Targeting not found in the ad server: ${kv.missing.join(', ')}`,
        'packages.product_id',
      );
    }
    currency = product.currency;
    // The price the buyer was quoted binds (issue 68): the line item is written at it.
    const cpm = pkg.cpm ?? product.rule.cpm;
    const impressions =
      pkg.impressions !== undefined
        ? Math.max(1, pkg.impressions)
        : impressionsFor(pkg.budget, cpm, { atLeastOne: true });
    const sizes = product.sizes.length ? product.sizes : [{ width: 300, height: 250 }];
    creatives.push(packageCreatives(pkg.creatives, product, sizes[0]!));
    lines.push({
      packageId: pkg.packageId,
      name: `${product.rule.name} · ${pkg.packageId}`,
      start: request.start,
      end: request.end,
      cpm,
      impressions,
      adUnitIds: product.rule.adUnitIds,
      placementIds: product.rule.placementIds,
      keyValues: kv.keyValues,
      sizes,
      mediaType: product.media.mediaType,
      ...(request.sandbox?.nonGuaranteed?.includes(pkg.productId) && { nonGuaranteed: true }),
      ...((pkg.frequencyCap ?? request.frequencyCap) && {
        frequencyCap: pkg.frequencyCap ?? request.frequencyCap,
      }),
    });
    recorded.push({
      packageId: pkg.packageId,
      productId: pkg.productId,
      budget: pkg.budget,
      cpm,
      impressions,
    });
  }
  return { lines, creatives, recorded, currency };
}
