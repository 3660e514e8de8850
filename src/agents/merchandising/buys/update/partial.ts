import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import type { SourceOutcome } from '../../../../sources/fan-out.js';
import { parseProductId } from '../../products/product-ids.js';
import { sourceVerdict } from '../source-writes.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/*
 * A partial update: a buy's packages sit at several sources, and some took an update that
 * others refused (or did not answer). The update is not undone where it took (AdCP has no
 * transaction across sellers, and a seller's change is its own to reverse); the buyer is told
 * per package what did not take, and why, beside the success answer.
 */

/** The packages a source did not take an update for, and the source's word on it. */
export interface Untaken {
  sourceId: string;
  /** Storefront package ids: those the update named at the source, or all of them there for a change of the whole buy. */
  packageIds: string[];
  /** `refused`: the source said no (nothing changed there); `unknown`: its answer was lost. */
  outcome: 'refused' | 'unknown';
  error: { code: string; message: string; recovery?: string };
}

/**
 * Each source whose answer to the update was not a success, when another source took it (an
 * update every source refused is the caller's error answer instead): the packages that did not
 * take it. `buyWide`: the update changed the whole buy (pause, dates, …), which every package at
 * the source then missed.
 */
export function untakenParts(
  row: MediaBuyRow,
  updates: readonly PackageUpdate[],
  buyWide: boolean,
  outcomes: ReadonlyArray<SourceOutcome<unknown>>,
): Untaken[] {
  if (!outcomes.some((o) => o.ok)) return [];
  return outcomes.flatMap((outcome): Untaken[] => {
    if (outcome.ok) return [];
    const sourceId = outcome.source.sourceId;
    const atSource = (row.forwardResult ?? [])
      .filter((leg) => leg.sourceId === sourceId)
      .flatMap((leg) => (leg.packages ?? []).map((p) => p.packageId));
    const named = updates.flatMap((u) =>
      u.package_id && parseProductId(u.package_id, [sourceId]) ? [u.package_id] : [],
    );
    const packageIds = buyWide ? atSource : named;
    if (packageIds.length === 0) return [];
    const { code, message, recovery } = outcome.error as typeof outcome.error & {
      recovery?: string;
    };
    const unknown = sourceVerdict(outcome).kind === 'unknown';
    return [
      {
        sourceId,
        packageIds,
        outcome: unknown ? 'unknown' : 'refused',
        error: { code, message, ...(recovery && { recovery }) },
      },
    ];
  });
}

/**
 * One UPDATE_PARTIAL advisory (core/error.json's shape) per source that did not take the update:
 * update_media_buy's success may not carry `errors[]` (3.0.6 and 3.1.19 alike), so they ride in
 * the answer's `ext.interchange.advisories`. `field` names the first of its packages the request
 * named; `details` the source, its packages and its own error.
 */
export function partialAdvisories(
  updates: readonly PackageUpdate[],
  untaken: readonly Untaken[],
): Record<string, unknown>[] {
  return untaken.map(({ sourceId, packageIds, outcome, error }) => {
    const index = updates.findIndex((u) => u.package_id && packageIds.includes(u.package_id));
    const ids = packageIds.join(', ');
    const message =
      outcome === 'refused'
        ? `Inventory source ${sourceId} refused this update (${error.code}: ${error.message}): ${ids} keep what they held before it. What the other sources took stands; it is not undone.`
        : `Inventory source ${sourceId} did not answer this update (${error.message}): whether ${ids} changed is not known yet; the storefront establishes it with the source and records what it finds. What the other sources took stands.`;
    return {
      code: 'UPDATE_PARTIAL',
      message,
      ...(index >= 0 && { field: `packages[${index}]` }),
      recovery: outcome === 'unknown' ? 'transient' : (error.recovery ?? 'correctable'),
      details: {
        source_id: sourceId,
        package_ids: packageIds,
        outcome,
        source_error: { code: error.code, message: error.message },
      },
    };
  });
}
