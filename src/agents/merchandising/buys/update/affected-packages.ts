import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { assignmentsOnPackage } from '../package-creatives.js';
import { currentOverlay } from '../package-overlays.js';
import { submittedPackageOf } from '../submitted-package.js';
import type { HeldPackages } from './read-back.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/** The fields of a package a source's read may report, beside its budget. */
const terms = ['pacing', 'bid_price', 'start_time', 'end_time', 'paused'] as const;
type Term = (typeof terms)[number];

/**
 * AdCP 3.1's `affected_packages` of update_media_buy: each package the update named, as it
 * stands after the update (a state snapshot, never a package_id-only stub): its product and
 * pricing option as bought, its creative assignments (with their weights) and targeting overlay
 * as the storefront now records them, and its budget and terms as its source holds them, read
 * back (read-back.ts): what the read reports, a term it does not report as the update set it
 * (the source answered `completed`), else as bought. A package whose source's read failed is
 * given as the storefront last knew it (its budget as last confirmed, its terms as bought),
 * never as the update asked: `unconfirmedAdvisories` says which.
 */
export function affectedPackages(
  row: MediaBuyRow,
  updates: readonly PackageUpdate[],
  back: HeldPackages,
): Record<string, unknown>[] {
  return updates.flatMap((update) => {
    const packageId = update.package_id;
    const bought = packageId ? submittedPackageOf(row, packageId) : undefined;
    if (!packageId || !bought) return [];
    const overlay = currentOverlay(row, packageId);
    const held = back.held.get(packageId) as Record<string, unknown> | undefined;
    const said = (field: string) => held?.[field];
    const budget = said('budget');
    const canceled = said('canceled') ?? (held && update.canceled);
    return [
      {
        package_id: packageId,
        product_id: bought.product_id,
        pricing_option_id: bought.pricing_option_id,
        budget: typeof budget === 'number' ? budget : recordedBudget(row, packageId, bought.budget),
        ...termsOf(said, held ? update : {}, bought),
        ...(canceled === true && { canceled: true }),
        ...(overlay && { targeting_overlay: overlay }),
        creative_assignments: assignmentsOnPackage(row, packageId),
        ...(bought.context && { context: bought.context }),
      },
    ];
  });
}

/** Each term as the source's read says it, else as the update set it, else as bought. */
function termsOf(
  said: (field: string) => unknown,
  update: Partial<Record<Term, unknown>>,
  bought: Partial<Record<Term, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    terms.flatMap((field) => {
      const value = said(field) ?? update[field] ?? bought[field];
      return value === undefined ? [] : [[field, value]];
    }),
  );
}

/** A package's budget as its source last confirmed it (after an update), else as bought. */
function recordedBudget(row: MediaBuyRow, packageId: string, bought: number): number {
  const recorded = (row.forwardResult ?? [])
    .flatMap((leg) => leg.packages ?? [])
    .find((p) => p.packageId === packageId)?.budget;
  return recorded ?? bought;
}

/**
 * One advisory (core/error.json's shape) per source that answered the update `completed` but
 * whose read-back did not show the packages it names: 3.1's update success may not carry
 * `errors[]`, so they ride in the answer's `ext.interchange.advisories`. `field` names the first
 * such package in the request.
 */
export function unconfirmedAdvisories(
  updates: readonly PackageUpdate[],
  back: HeldPackages,
): Record<string, unknown>[] {
  return back.unconfirmed.map(({ sourceId, packageIds, error }) => {
    const index = updates.findIndex((u) => u.package_id && packageIds.includes(u.package_id));
    const why = error
      ? `reading the buy back from it failed (${error.message})`
      : 'its read of the buy does not show these packages';
    return {
      code: 'UPDATE_UNCONFIRMED',
      message: `Inventory source ${sourceId} answered this update completed, but ${why}: affected_packages shows ${packageIds.join(', ')} as the storefront last knew them (budget as last confirmed), not as asked. get_media_buys shows what the seller holds once it answers.`,
      ...(index >= 0 && { field: `packages[${index}]` }),
      recovery: 'transient',
      details: {
        source_id: sourceId,
        package_ids: packageIds,
        ...(error && { read_error: { code: error.code, message: error.message } }),
      },
    };
  });
}
