import { withGoals } from '../goals/optimization-goals.js';
import type { PatchMediaBuyInput } from './schemas.js';
import type { MediaBuyRow } from '../store.js';

/**
 * What a buy's change sends to its seller as update_media_buy `packages` (budgets, bids, and
 * each package's share of new optimization goals), and what the buyer is told about goals: those
 * a package's product cannot take, never dropped silently, and those AdCP cannot clear.
 */
export function sellerUpdateOf(row: MediaBuyRow, input: PatchMediaBuyInput) {
  const goals = input.optimization_goals && withGoals(row.packages, input.optimization_goals);
  const goalWarnings = (goals?.leftOut ?? []).map(
    (why) => `${row.salesAgentName} (${row.salesAgentId}) was not sent ${why}`,
  );
  // AdCP has no empty optimization_goals: a placed package keeps goals it cannot be sent.
  const kept = row.sellerMediaBuyId ? keptGoals(row.packages, goals?.packages) : [];
  if (kept.length > 0) {
    goalWarnings.push(
      `AdCP cannot clear a placed package's goals: ${row.salesAgentName} keeps those of ${kept.join(', ')}`,
    );
  }
  return { packageUpdates: sellerPackageUpdates(input, goals?.packages), goalWarnings };
}

/**
 * update_media_buy's packages: the budget and bid changes asked, and with new goals every
 * placed package (its seller's id) whose product takes any of them, with those.
 */
function sellerPackageUpdates(
  input: PatchMediaBuyInput,
  withNewGoals: MediaBuyRow['packages'] | undefined,
): Record<string, unknown>[] {
  const updates = new Map<string, Record<string, unknown>>();
  for (const p of input.packages ?? []) {
    updates.set(p.packageId, {
      package_id: p.packageId,
      ...(p.budget !== undefined && { budget: p.budget }),
      ...(p.bidPrice !== undefined && { bid_price: p.bidPrice }),
    });
  }
  for (const p of withNewGoals ?? []) {
    if (!p.packageId || p.canceled || !p.optimizationGoals?.length) continue;
    updates.set(p.packageId, {
      package_id: p.packageId,
      ...updates.get(p.packageId),
      optimization_goals: p.optimizationGoals ?? [],
    });
  }
  return [...updates.values()];
}

/** The seller package ids that had goals and would have none: they keep theirs at the seller. */
function keptGoals(
  packages: MediaBuyRow['packages'],
  withNewGoals: MediaBuyRow['packages'] | undefined,
): string[] {
  if (!withNewGoals) return [];
  return packages.flatMap((p, i) =>
    p.packageId && !p.canceled && p.optimizationGoals?.length && !withNewGoals[i]?.optimizationGoals
      ? [p.packageId]
      : [],
  );
}
