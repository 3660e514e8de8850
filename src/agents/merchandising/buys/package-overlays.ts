import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../modules/orders/index.js';
import type { MerchandisingDeps } from '../deps.js';
import { namespacedProductId, parseProductId } from '../products/product-ids.js';
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

/** The targeting overlays an update set on packages whose source (`tookIt`) took it, recorded. */
export async function recordOverlays(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  packages: NonNullable<UpdateMediaBuyRequest['packages']>,
  tookIt: readonly string[],
): Promise<void> {
  const changed = packages.filter(
    (pkg) =>
      pkg.package_id &&
      pkg.targeting_overlay &&
      parseProductId(pkg.package_id, tookIt) !== undefined,
  );
  if (changed.length === 0) return;
  const overlays = { ...row.targetingOverlays };
  for (const pkg of changed) {
    const packageId = pkg.package_id;
    overlays[packageId] = { ...(currentOverlay(row, packageId) ?? {}), ...pkg.targeting_overlay };
  }
  await deps.mediaBuys.setOverlays(row, overlays);
}
