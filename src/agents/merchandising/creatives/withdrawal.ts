import { createHash } from 'node:crypto';
import { archivedIds } from './assigned.js';
import { servingBuys, servingLegs } from '../buys/forwarded-buys.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { applyMediaBuyUpdate } from '../buys/update/update.js';
import { assignmentsOnPackage } from '../buys/package-creatives.js';

/**
 * Takes creatives the buyer archived off every package of the buyer's buys on this storefront
 * that carries one and can still serve: its flight has not ended and its source did not last
 * answer it canceled or rejected. update_media_buy with the package's assignments
 * without them (replacement semantics), forwarded to each source as any update is (a source
 * without a creative library gets the remaining manifests inline). What stays on a package
 * never includes a creative archived earlier. Answers what failed, one message per buy and
 * source; never throws.
 */
export async function unassignArchived(
  deps: MerchandisingDeps,
  archived: Set<string>,
): Promise<string[]> {
  const { storefront, principal } = agentRequest();
  const buys = await servingBuys(deps);
  const carried = new Map(
    buys.map((row) => [
      row,
      servingLegs(row).flatMap((leg) =>
        (leg.packages ?? []).map((p) => ({
          packageId: p.packageId,
          assignments: assignmentsOnPackage(row, p.packageId),
        })),
      ),
    ]),
  );
  // Creatives archived before this withdrawal stay off the packages too: an update must not
  // assign one again (and the storefront refuses it).
  const ids = [
    ...new Set(
      [...carried.values()].flat().flatMap((p) => p.assignments.map((a) => a.creative_id)),
    ),
  ];
  const stored = ids.some((id) => archived.has(id))
    ? await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, ids)
    : [];
  const gone = new Set([...archived, ...archivedIds(stored)]);
  const problems: string[] = [];
  for (const [row, onPackages] of carried) {
    const packages = onPackages.flatMap(({ packageId, assignments }) => {
      if (!assignments.some((a) => archived.has(a.creative_id))) return [];
      // The creatives that stay keep their weights and placements.
      return [
        {
          package_id: packageId,
          creative_assignments: assignments.filter((a) => !gone.has(a.creative_id)),
        },
      ];
    });
    if (packages.length === 0) continue;
    // The same withdrawal asked again replays at each source; the buy's updatedAt (moved by
    // every assignment change) keeps a later, identical-looking one from replaying this one.
    const key = createHash('sha256')
      .update(`${row.mediaBuyId}@${row.updatedAt.getTime()}\n${JSON.stringify(packages)}`)
      .digest('base64url')
      .slice(0, 32);
    try {
      const { outcomes } = await applyMediaBuyUpdate(deps, row.mediaBuyId, {
        media_buy_id: row.mediaBuyId,
        idempotency_key: `archive.${key}`,
        packages,
      });
      for (const o of outcomes) {
        if (!o.ok) problems.push(`${row.mediaBuyId} at ${o.source.sourceId}: ${o.error.message}`);
      }
    } catch (error) {
      problems.push(`${row.mediaBuyId}: ${(error as Error).message}`);
    }
  }
  return problems;
}
