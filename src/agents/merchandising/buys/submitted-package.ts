import type { MediaBuyRow, SubmittedPackage } from '../../../modules/orders/index.js';

/**
 * The package the buyer sent for one of the buy's packages (by storefront package id): the
 * package a source answered names its product, and the buy's first package of that product (as
 * routed, when a packaged product was split) is the one it was made from.
 */
export function submittedPackageOf(
  row: MediaBuyRow,
  packageId: string,
  // The package exactly as the buyer sent it, not as it was routed (format options narrowed).
  asSent = false,
): SubmittedPackage | undefined {
  const productId = (row.forwardResult ?? [])
    .flatMap((leg) => leg.packages ?? [])
    .find((p) => p.packageId === packageId)?.productId;
  if (productId === undefined) return undefined;
  const packages = (asSent ? undefined : row.routedPackages) ?? row.submittedPayload.packages ?? [];
  return packages.find((p) => p.product_id === productId);
}
