import type { MediaBuyRow, StoredAssignment } from '../../../modules/orders/index.js';
import { submittedPackageOf } from './submitted-package.js';

type Routing = Pick<StoredAssignment, 'weight' | 'placement_ids' | 'placement_refs'>;
type PackageCreatives = {
  package_id?: string;
  product_id?: string;
  creative_assignments?: Array<{ creative_id: string } & Routing>;
  creatives?: Array<{ creative_id: string } & Routing>;
};

/** A package's creative as the storefront holds it, with the date it was put there. */
export type DatedAssignment = StoredAssignment & { assigned_at: string };

/** A package's creative as AdCP says it (core/creative-assignment.json), without our date. */
export type PackageAssignment = Omit<StoredAssignment, 'assigned_at'>;

/** The buyer's rotation of one assignment (or inline creative): its weight and placements. */
export function routingOf(assignment: Routing): Routing {
  const { weight, placement_ids: ids, placement_refs: refs } = assignment;
  return {
    ...(typeof weight === 'number' && { weight }),
    ...(Array.isArray(ids) && { placement_ids: ids }),
    ...(Array.isArray(refs) && { placement_refs: refs }),
  };
}

/** The same creative on the same terms: nothing to tell its source. */
export const sameRouting = (a: Routing, b: Routing) =>
  JSON.stringify(routingOf(a)) === JSON.stringify(routingOf(b));

/** What create_media_buy put on a package, in the order sent (a creative named twice once). */
function createdAssignments(row: MediaBuyRow, packageId: string): DatedAssignment[] {
  const created = submittedPackageOf(row, packageId) as PackageCreatives | undefined;
  const seen = new Set<string>();
  const at = row.createdAt.toISOString();
  return [...(created?.creative_assignments ?? []), ...(created?.creatives ?? [])].flatMap((a) => {
    if (seen.has(a.creative_id)) return [];
    seen.add(a.creative_id);
    return [{ creative_id: a.creative_id, ...routingOf(a), assigned_at: at }];
  });
}

/**
 * The creatives a package of the buy carries as the storefront knows them, with the buyer's
 * weight and placements and when each was put there: the last update_media_buy that replaced
 * its assignments, else what create_media_buy gave it. A bare id (rows written before weights
 * were kept) reads as an unweighted assignment made when the buy was.
 */
export function storedOnPackage(row: MediaBuyRow, packageId: string): DatedAssignment[] {
  const updated = row.creativeAssignments[packageId];
  if (!updated) return createdAssignments(row, packageId);
  const at = row.createdAt.toISOString();
  return updated.map((a) =>
    typeof a === 'string' ? { creative_id: a, assigned_at: at } : { assigned_at: at, ...a },
  );
}

/** A package's creatives as AdCP states them (each with its weight and placements). */
export const assignmentsOnPackage = (row: MediaBuyRow, packageId: string): PackageAssignment[] =>
  storedOnPackage(row, packageId).map(({ assigned_at: _at, ...assignment }) => assignment);

/** The creative ids a package of the buy carries as the storefront knows them. */
export const creativesOnPackage = (row: MediaBuyRow, packageId: string): string[] =>
  storedOnPackage(row, packageId).map((a) => a.creative_id);

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
 * semantics), `creatives` uploads and adds to it, each on the terms it was sent with (a creative
 * already there keeps the date it was first put there). Packages the update leaves alone are
 * absent.
 */
export function assignmentsAfter(
  row: MediaBuyRow,
  packages: PackageCreatives[],
  now = new Date(),
): Record<string, StoredAssignment[]> {
  const out: Record<string, StoredAssignment[]> = {};
  for (const pkg of packages) {
    if (!pkg.package_id || (!pkg.creative_assignments && !pkg.creatives)) continue;
    const before = storedOnPackage(row, pkg.package_id);
    const since = (id: string) =>
      before.find((a) => a.creative_id === id)?.assigned_at ?? now.toISOString();
    const kept = pkg.creative_assignments
      ? pkg.creative_assignments.map((a) => ({ creative_id: a.creative_id, ...routingOf(a) }))
      : before.map(({ assigned_at: _at, ...a }) => a);
    const added = (pkg.creatives ?? []).map((c) => ({
      creative_id: c.creative_id,
      ...routingOf(c),
    }));
    const merged = new Map<string, StoredAssignment>();
    for (const a of [...kept, ...added]) {
      merged.set(a.creative_id, { ...a, assigned_at: since(a.creative_id) });
    }
    out[pkg.package_id] = [...merged.values()];
  }
  return out;
}
