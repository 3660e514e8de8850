import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { namespacedProductId } from '../products/product-ids.js';
import { submittedPackageOf } from './submitted-package.js';

/** A package's targeting overlay as it stands: changed by an update, else as created. */
export function currentOverlay(
  row: MediaBuyRow,
  packageId: string,
): Record<string, unknown> | undefined {
  if (row.targetingOverlays[packageId]) return row.targetingOverlays[packageId];
  return submittedPackageOf(row, packageId)?.targeting_overlay as
    Record<string, unknown> | undefined;
}

/**
 * The targeting overlay the buyer sent for a package (property and collection list references
 * included), echoed on reads whether or not the source keeps it.
 */
export function overlayOf(row: MediaBuyRow, sourceId: string, pkg: { package_id: string }) {
  const overlay = currentOverlay(row, namespacedProductId(sourceId, pkg.package_id));
  return overlay === undefined ? {} : { targeting_overlay: overlay };
}
