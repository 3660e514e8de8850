import type { adcp31Schemas } from '../../../adcp31/index.js';
import type { CreativeRow } from '../../../../modules/creative-reviews/index.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { creativesOnPackage } from '../package-creatives.js';
import { creativeStatus31 } from '../../creatives/lists.js';

type Impairment = adcp31Schemas.Impairment;

/**
 * Library states in which a creative cannot serve: the operator rejected it, or revoked it, or
 * the seller suspended it (3.1's recoverable dependency loss, enums/creative-status.json).
 */
const offline = new Set(['rejected', 'revoked', 'suspended']);
/** Review states a package can serve from (pending: it serves once approved, as planned). */
const serviceable = new Set(['pending', 'approved']);

/**
 * The open impairments of the caller's buys (core/impairment.json), by media buy id: a creative
 * the storefront's review rejected or revoked, or the seller suspended or purged, on each
 * package it leaves with nothing to serve (a suspension's closes when the creative is approved
 * again).
 * Materiality as the spec asks: a package that still carries a serviceable creative is not
 * impaired by one rejected beside it. A creative the storefront's library does not hold (synced
 * at a source directly) is taken as serviceable: nothing here says otherwise.
 */
export async function impairmentsOf(
  deps: MerchandisingDeps,
  rows: readonly MediaBuyRow[],
): Promise<Map<string, Impairment[]>> {
  const packagesOf = (row: MediaBuyRow) =>
    (row.forwardResult ?? []).flatMap((leg) => leg.packages ?? []).map((p) => p.packageId);
  const carried = new Map(
    rows.map((row) => [
      row,
      packagesOf(row).map((packageId) => ({ packageId, ids: creativesOnPackage(row, packageId) })),
    ]),
  );
  const ids = [...new Set([...carried.values()].flat().flatMap((p) => p.ids))];
  const out = new Map<string, Impairment[]>();
  if (ids.length === 0) return out;
  const { storefront, principal } = agentRequest();
  const library = await deps.creativeReviews.creativesWithPurgedOf(
    storefront.id,
    principal.customerId,
    ids,
  );
  const byId = new Map(library.map((row) => [row.creativeId, row]));
  // A purged creative is gone, whatever its last status: it serves nothing.
  const serves = (creative: CreativeRow | undefined) =>
    !creative || (!creative.purgedAt && serviceable.has(creative.status));
  const isOffline = (creative: CreativeRow) =>
    creative.purgedAt !== null || offline.has(creative.status);
  for (const [row, packages] of carried) {
    const impaired = new Map<CreativeRow, string[]>();
    for (const { packageId, ids: onPackage } of packages) {
      const states = onPackage.map((id) => byId.get(id));
      if (states.some(serves)) continue;
      for (const creative of states) {
        if (creative && isOffline(creative)) {
          impaired.set(creative, [...(impaired.get(creative) ?? []), packageId]);
        }
      }
    }
    if (impaired.size > 0) {
      out.set(
        row.mediaBuyId,
        [...impaired].map(([creative, packageIds]) => impairmentOf(creative, packageIds)),
      );
    }
  }
  return out;
}

/** enums/impairment-reason-code.json's codes for a creative's recoverable dependency loss. */
const suspensionReasons = new Set([
  'identity_authorization_revoked',
  'identity_authorization_expired',
  'source_private',
]);

function impairmentOf(creative: CreativeRow, packageIds: string[]): Impairment {
  if (creative.purgedAt) return purgeOf(creative, creative.purgedAt, packageIds);
  if (creative.status === 'suspended') return suspensionOf(creative, packageIds);
  const revoked = creative.status === 'revoked';
  const observed = creative.reviewedAt ?? creative.updatedAt;
  return {
    // Stable while the impairment is open; a later review opens a new one.
    impairment_id: `imp_${creative.reviewId}_${observed.getTime()}`,
    resource_type: 'creative',
    resource_id: creative.creativeId,
    package_ids: packageIds,
    transition: { from: revoked ? 'approved' : 'pending_review', to: 'rejected' },
    // Revoked after approval: re-reviewed and rejected; rejected at review: the policy's verdict.
    reason_code: revoked ? 'content_rejected' : 'policy_violation',
    // The reviewer's notes are the buyer's to read (sync_creatives and list_creatives show them).
    ...(creative.reviewerNotes && { reason: creative.reviewerNotes.slice(0, 500) }),
    observed_at: observed.toISOString(),
    remediation:
      'Sync a creative that meets the storefront’s policy and assign it to the package (update_media_buy creative_assignments)',
  };
}

/**
 * A suspended creative's impairment: approved → suspended, for the seller's reason when it is an
 * impairment reason (an expired or revoked authorization, a source gone private), else the
 * dependency it needs being offline (`source_offline`).
 */
function suspensionOf(creative: CreativeRow, packageIds: string[]): Impairment {
  const observed = creative.statusChangedAt ?? creative.updatedAt;
  const code = creative.statusReason ?? '';
  return {
    // Stable while it stays suspended; suspended again after a recovery is a new impairment.
    impairment_id: `imp_${creative.reviewId}_s${observed.getTime()}`,
    resource_type: 'creative',
    resource_id: creative.creativeId,
    package_ids: packageIds,
    transition: { from: 'approved', to: 'suspended' },
    reason_code: suspensionReasons.has(code)
      ? (code as Impairment['reason_code'])
      : 'source_offline',
    ...(creative.reviewerNotes && { reason: creative.reviewerNotes.slice(0, 500) }),
    observed_at: observed.toISOString(),
    remediation:
      'Restore what the creative depends on (renew or restore the authorization, make the source post visible), or assign a replacement creative to the package (update_media_buy creative_assignments)',
  };
}

/**
 * A purged creative's impairment (3.1: destroyed from the library; enums/impairment-offline-
 * state.json has no purged, and its terminal offline value for a creative is `rejected`): from
 * its last status to rejected, the seller having removed it (`seller_removed`), for good.
 */
function purgeOf(creative: CreativeRow, purgedAt: Date, packageIds: string[]): Impairment {
  const from = creativeStatus31[creative.status];
  return {
    impairment_id: `imp_${creative.reviewId}_p${purgedAt.getTime()}`,
    resource_type: 'creative',
    resource_id: creative.creativeId,
    package_ids: packageIds,
    transition: { from, to: 'rejected' },
    reason_code: 'seller_removed',
    reason: `Purged by the seller (${creative.purgeReason ?? 'seller_removed'})`,
    observed_at: purgedAt.toISOString(),
    remediation:
      'Sync a replacement creative and assign it to the package (update_media_buy creative_assignments)',
  };
}
