import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { assignmentsOnPackage } from './package-creatives.js';
import { currentOverlay } from './package-overlays.js';
import { submittedPackageOf } from './submitted-package.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/**
 * AdCP 3.1's `affected_packages` of update_media_buy: each package the update named, as the
 * storefront holds it after the update (a state snapshot, never a package_id-only stub): its
 * product and pricing option as bought, its creative assignments (with their weights) and targeting overlay as they
 * now stand, and what the update itself set (budget, pacing, bid, paused, canceled). The
 * storefront does not keep a package's later budget or pacing apart from its sources, so those
 * are given only as bought or as this update set them.
 */
export function affectedPackages(
  row: MediaBuyRow,
  updates: readonly PackageUpdate[],
): Record<string, unknown>[] {
  return updates.flatMap((update) => {
    const packageId = update.package_id;
    const bought = packageId ? submittedPackageOf(row, packageId) : undefined;
    if (!packageId || !bought) return [];
    const overlay = currentOverlay(row, packageId);
    return [
      {
        package_id: packageId,
        product_id: bought.product_id,
        pricing_option_id: bought.pricing_option_id,
        budget: update.budget ?? bought.budget,
        ...pick(bought, update, ['pacing', 'bid_price', 'start_time', 'end_time', 'paused']),
        ...(update.canceled === true && { canceled: true }),
        ...(overlay && { targeting_overlay: overlay }),
        creative_assignments: assignmentsOnPackage(row, packageId),
        ...(bought.context && { context: bought.context }),
      },
    ];
  });
}

/** Each field as this update set it, else as bought. */
function pick<K extends string>(
  bought: Partial<Record<K, unknown>>,
  update: Partial<Record<K, unknown>>,
  fields: readonly K[],
): Record<string, unknown> {
  return Object.fromEntries(
    fields.flatMap((field) => {
      const value = update[field] ?? bought[field];
      return value === undefined ? [] : [[field, value]];
    }),
  );
}
