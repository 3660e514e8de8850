import type { MediaBuyRow } from '../../../modules/orders/index.js';
import { submittedPackageOf } from './submitted-package.js';

type PackageCreatives = {
  package_id?: string;
  product_id?: string;
  creative_assignments?: Array<{ creative_id: string }>;
  creatives?: Array<{ creative_id: string }>;
};

const idsOf = (pkg: PackageCreatives) => [
  ...(pkg.creative_assignments ?? []).map((a) => a.creative_id),
  ...(pkg.creatives ?? []).map((c) => c.creative_id),
];

/**
 * The creative ids a package of the buy carries as the storefront knows them: the last
 * update_media_buy that replaced its assignments, else what create_media_buy gave it.
 */
export function creativesOnPackage(row: MediaBuyRow, packageId: string): string[] {
  const updated = row.creativeAssignments[packageId];
  if (updated) return updated;
  const created = submittedPackageOf(row, packageId) as PackageCreatives | undefined;
  return created ? [...new Set(idsOf(created))] : [];
}

/**
 * The creative ids a package of the buy took inline (`creatives`, not `creative_assignments`):
 * the last update_media_buy that sent it some, else what create_media_buy sent.
 */
export function inlineOnPackage(row: MediaBuyRow, packageId: string): string[] {
  const updated = row.inlineCreatives[packageId];
  if (updated) return updated;
  const created = submittedPackageOf(row, packageId) as PackageCreatives | undefined;
  return [...new Set((created?.creatives ?? []).map((c) => c.creative_id))];
}

/**
 * What an update_media_buy does to its packages' creatives, by storefront package id:
 * `creative_assignments` replaces a package's list (package-update.json: replacement
 * semantics), `creatives` uploads and adds to it. Packages the update leaves alone are absent.
 */
export function assignmentsAfter(
  row: MediaBuyRow,
  packages: PackageCreatives[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const pkg of packages) {
    if (!pkg.package_id || (!pkg.creative_assignments && !pkg.creatives)) continue;
    const kept = pkg.creative_assignments
      ? pkg.creative_assignments.map((a) => a.creative_id)
      : creativesOnPackage(row, pkg.package_id);
    out[pkg.package_id] = [
      ...new Set([...kept, ...(pkg.creatives ?? []).map((c) => c.creative_id)]),
    ];
  }
  return out;
}
