import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { ForwardLeg, MediaBuyRow } from '../../../../modules/orders/index.js';
import { isRecord } from '../../../../platform/is-record.js';
import type { SourceError } from '../../../../sources/port.js';
import type { MerchandisingDeps } from '../../deps.js';
import { readAtSources } from '../reads/source-reads.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/** The packages an update named, as their sources hold them after it. */
export interface HeldPackages {
  /** By storefront package id: the package as its source reports it now (its read answered). */
  held: Map<string, object>;
  /**
   * A source that took the update whose read then failed (`error`), or left the buy or a named
   * package out: its named packages are not confirmed.
   */
  unconfirmed: Array<{ sourceId: string; packageIds: string[]; error?: SourceError }>;
}

/**
 * After sources answered an update `completed` (`tookIt`), the packages it named read back from
 * those sources (the one read get_media_buys makes, reads/source-reads.ts): a seller may answer
 * `completed` and hold what it held before, so only its read says what it holds. The budgets a
 * read confirms for packages whose budget the update asked are recorded on the buy (the record
 * a later failed read shows and judges changes by); nothing unconfirmed is recorded.
 */
export async function readBack(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  packages: readonly PackageUpdate[],
  tookIt: readonly string[],
): Promise<HeldPackages> {
  const named = new Set(packages.flatMap((pkg) => (pkg.package_id ? [pkg.package_id] : [])));
  const legs = (row.forwardResult ?? []).flatMap((leg) => {
    const own = (leg.packages ?? []).filter((p) => named.has(p.packageId));
    return leg.upstreamMediaBuyId && own.length > 0 && tookIt.includes(leg.sourceId)
      ? [{ leg, own }]
      : [];
  });
  const out: HeldPackages = { held: new Map(), unconfirmed: [] };
  if (legs.length === 0) return out;
  const asked = new Set(legs.map(({ leg }) => leg.sourceId));
  const reads = await readAtSources(deps, [row], (sourceId) => asked.has(sourceId));
  let budgets: Record<string, number> = {};
  for (const { leg, own } of legs) {
    const part = reads.partOf(leg);
    // The update as this source was sent it: the named packages in its own ids.
    const sent = own.map((pkg) => ({
      ...packages.find((p) => p.package_id === pkg.packageId),
      package_id: pkg.upstreamPackageId,
    }));
    budgets = { ...budgets, ...confirmedBudgets(leg, sent, part?.packages ?? []) };
    const missing: string[] = [];
    for (const pkg of own) {
      const there = part?.packages?.find((p) => p.package_id === pkg.upstreamPackageId);
      if (there) out.held.set(pkg.packageId, there);
      else missing.push(pkg.packageId);
    }
    if (missing.length === 0) continue;
    const error = reads.errors.find(
      (e) => isRecord(e.details) && e.details['source_id'] === leg.sourceId,
    );
    out.unconfirmed.push({ sourceId: leg.sourceId, packageIds: missing, ...(error && { error }) });
  }
  if (Object.keys(budgets).length > 0) await deps.mediaBuys.setPackageBudgets(row, budgets);
  return out;
}

/**
 * The budgets a source's read of its part confirms for the packages an update it was sent asked
 * a budget of (`asked`: that request's packages, in the source's ids), by storefront package id.
 */
export function confirmedBudgets(
  leg: ForwardLeg,
  asked: readonly unknown[],
  answered: readonly unknown[],
): Record<string, number> {
  return Object.fromEntries(
    (leg.packages ?? []).flatMap((pkg) => {
      const upstream = pkg.upstreamPackageId;
      const change = asked.find((p) => isRecord(p) && p['package_id'] === upstream);
      const there = answered.find((p) => isRecord(p) && p['package_id'] === upstream);
      const budget = isRecord(there) ? there['budget'] : undefined;
      return isRecord(change) && change['budget'] !== undefined && typeof budget === 'number'
        ? [[pkg.packageId, budget]]
        : [];
    }),
  );
}
