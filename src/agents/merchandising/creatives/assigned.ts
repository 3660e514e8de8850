import { AdcpError } from '@adcp/sdk/server';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import type { MerchandisingDeps } from '../deps.js';
import { servingBuys, servingLegs } from '../buys/forwarded-buys.js';
import { storedOnPackage } from '../buys/package-creatives.js';

type Assigning = { creative_assignments?: Array<{ creative_id: string }> };

const assignedIds = (packages: readonly unknown[]) => [
  ...new Set(
    packages.flatMap((pkg) =>
      ((pkg as Assigning).creative_assignments ?? []).map((a) => a.creative_id),
    ),
  ),
];

/**
 * The buyer's stored creatives the packages assign (any status, purged ones too), read once per
 * request; none read when nothing is assigned. Another buyer's creative with the same id is not
 * theirs.
 */
export async function assignedCreatives(
  deps: MerchandisingDeps,
  owner: { storefrontId: number; buyerCustomerId: number },
  packages: readonly unknown[],
): Promise<CreativeRow[]> {
  const ids = assignedIds(packages);
  if (ids.length === 0) return [];
  return deps.creativeReviews.creativesWithPurgedOf(owner.storefrontId, owner.buyerCustomerId, ids);
}

/**
 * The ids among `rows` out of service until synced again: the buyer archived (withdrew) them, or
 * the seller purged them (3.1: destroyed; a purged creative is gone, never assigned or sent).
 */
export const archivedIds = (rows: CreativeRow[]) =>
  new Set(
    rows
      .filter((row) => row.status === 'archived' || row.purgedAt !== null)
      .map((row) => row.creativeId),
  );

/**
 * Refuses a request assigning a creative its buyer archived: an archived creative is withdrawn
 * and must not serve again until the buyer syncs it again without that status. INVALID_STATE
 * is AdCP's code for an operation the resource's current status does not permit (the creative
 * exists, so CREATIVE_NOT_FOUND would misstate it; CREATIVE_REJECTED is a policy verdict).
 */
export function refuseArchived(packages: readonly unknown[], archived: Set<string>): void {
  if (archived.size === 0) return;
  packages.forEach((pkg, i) =>
    ((pkg as Assigning).creative_assignments ?? []).forEach((assignment, j) => {
      if (!archived.has(assignment.creative_id)) return;
      throw new AdcpError('INVALID_STATE', {
        message: `Creative ${assignment.creative_id} is archived or purged; sync it again (without status "archived") before assigning it`,
        field: `packages[${i}].creative_assignments[${j}].creative_id`,
      });
    }),
  );
}

/** The packages with assignments of archived creatives left out (an approved buy's forward). */
export function withoutArchived<P>(packages: P[], archived: Set<string>): P[] {
  if (archived.size === 0) return packages;
  return packages.map((pkg) => {
    const assignments = (pkg as Assigning).creative_assignments;
    if (!assignments?.some((a) => archived.has(a.creative_id))) return pkg;
    return {
      ...pkg,
      creative_assignments: assignments.filter((a) => !archived.has(a.creative_id)),
    };
  });
}

/**
 * Inline transport's manifests by creative id: archived or purged creatives are never sent, nor
 * suspended ones (3.1: temporarily ineligible for delivery; sent once approved again).
 */
export const manifestsOf = (rows: CreativeRow[]) =>
  new Map(
    rows
      .filter((row) => row.status !== 'archived' && row.status !== 'suspended' && !row.purgedAt)
      .map((row) => [row.creativeId, row.submittedPayload] as const),
  );

/** One creative's packages, as list_creatives `include_assignments` answers them. */
export interface CreativeAssignments {
  assignment_count: number;
  assigned_packages: Array<{ package_id: string; assigned_date: string } & Record<string, unknown>>;
}

/**
 * list_creatives `include_assignments` (creative/list-creatives-response.json `assignments`,
 * 3.0.6 and 3.1 alike), by creative id: the packages of the caller's buys that can still serve
 * carrying it, in the order of its buys and their packages, each with when it was put there and
 * the buyer's weight and placements on it (the item admits fields beyond package_id and
 * assigned_date, and this is where a buyer reads its rotation back).
 */
export async function assignmentsByCreative(
  deps: MerchandisingDeps,
): Promise<Map<string, CreativeAssignments>> {
  const out = new Map<string, CreativeAssignments>();
  const carried = (await servingBuys(deps)).flatMap((row) =>
    servingLegs(row).flatMap((leg) =>
      (leg.packages ?? []).flatMap((p) =>
        storedOnPackage(row, p.packageId).map((a) => ({ packageId: p.packageId, ...a })),
      ),
    ),
  );
  for (const { packageId, creative_id: id, assigned_at: at, ...routing } of carried) {
    const entry = out.get(id) ?? { assignment_count: 0, assigned_packages: [] };
    entry.assigned_packages.push({ package_id: packageId, assigned_date: at, ...routing });
    entry.assignment_count = entry.assigned_packages.length;
    out.set(id, entry);
  }
  return out;
}
