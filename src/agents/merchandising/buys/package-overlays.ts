import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { namespacedProductId } from '../products/product-ids.js';

/** A package's targeting overlay as it stands: changed by an update, else as created. */
export function currentOverlay(
  row: MediaBuyRow,
  packageId: string,
): Record<string, unknown> | undefined {
  if (row.targetingOverlays[packageId]) return row.targetingOverlays[packageId];
  const productId = (row.forwardResult ?? [])
    .flatMap((leg) => leg.packages ?? [])
    .find((p) => p.packageId === packageId)?.productId;
  const packages = (row.routedPackages ?? row.submittedPayload['packages'] ?? []) as Array<{
    product_id: string;
    targeting_overlay?: Record<string, unknown>;
  }>;
  return packages.find((p) => p.product_id === productId)?.targeting_overlay;
}

/**
 * The targeting overlay the buyer sent for a package (property and collection list references
 * included), echoed on reads whether or not the source keeps it.
 */
export function overlayOf(row: MediaBuyRow, sourceId: string, pkg: { package_id: string }) {
  const overlay = currentOverlay(row, namespacedProductId(sourceId, pkg.package_id));
  return overlay === undefined ? {} : { targeting_overlay: overlay };
}
