import type { adcp31Schemas } from '../../../adcp31/index.js';
import type { CreativeRow } from '../../../../modules/creative-reviews/index.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { creativesOnPackage } from '../package-creatives.js';

type Impairment = adcp31Schemas.Impairment;

/** Review states in which a creative cannot serve: the operator rejected it, or revoked it. */
const offline = new Set(['rejected', 'revoked']);
/** Review states a package can serve from (pending: it serves once approved, as planned). */
const serviceable = new Set(['pending', 'approved']);

/**
 * The open impairments of the caller's buys (core/impairment.json), by media buy id: a creative
 * the storefront's review rejected or revoked, on each package it leaves with nothing to serve.
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
  const library = await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, ids);
  const byId = new Map(library.map((row) => [row.creativeId, row]));
  for (const [row, packages] of carried) {
    const impaired = new Map<CreativeRow, string[]>();
    for (const { packageId, ids: onPackage } of packages) {
      const states = onPackage.map((id) => byId.get(id));
      if (states.some((creative) => !creative || serviceable.has(creative.status))) continue;
      for (const creative of states) {
        if (creative && offline.has(creative.status)) {
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

function impairmentOf(creative: CreativeRow, packageIds: string[]): Impairment {
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
