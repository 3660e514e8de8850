import { AdcpError } from '@adcp/sdk/server';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import type { MerchandisingDeps } from '../deps.js';

type Assigning = { creative_assignments?: Array<{ creative_id: string }> };

const assignedIds = (packages: readonly unknown[]) => [
  ...new Set(
    packages.flatMap((pkg) =>
      ((pkg as Assigning).creative_assignments ?? []).map((a) => a.creative_id),
    ),
  ),
];

/**
 * The buyer's stored creatives the packages assign (any status), read once per request; none
 * read when nothing is assigned. Another buyer's creative with the same id is not theirs.
 */
export async function assignedCreatives(
  deps: MerchandisingDeps,
  owner: { storefrontId: number; buyerCustomerId: number },
  packages: readonly unknown[],
): Promise<CreativeRow[]> {
  const ids = assignedIds(packages);
  if (ids.length === 0) return [];
  return deps.creativeReviews.creativesOf(owner.storefrontId, owner.buyerCustomerId, ids);
}

/** The ids among `rows` the buyer archived (withdrew). */
export const archivedIds = (rows: CreativeRow[]) =>
  new Set(rows.filter((row) => row.status === 'archived').map((row) => row.creativeId));

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
        message: `Creative ${assignment.creative_id} is archived; sync it again without status "archived" before assigning it`,
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

/** Inline transport's manifests by creative id: archived creatives are never sent. */
export const manifestsOf = (rows: CreativeRow[]) =>
  new Map(
    rows
      .filter((row) => row.status !== 'archived')
      .map((row) => [row.creativeId, row.submittedPayload] as const),
  );
