import type { CreativeRow } from '../../../../modules/creative-reviews/index.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { isRecord } from '../../../../platform/is-record.js';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { creativesOnPackage } from '../package-creatives.js';

/*
 * AdCP 3.1's `creative_approvals` on get_media_buys' packages (media-buy/get-media-buys-
 * response.json: "approval status for each creative assigned to this package"), for 3.1 callers:
 * the creatives the storefront put on the package (creative_assignments, or sent inline), in its
 * order, so a replacement shows at once. Each creative's state: the storefront's own review
 * first (pending_review while its operator reviews, rejected with the reviewer's notes), else
 * what the package's source reported for it, else approved as the library holds it. A package
 * the storefront knows no creatives of keeps what its source reported; a 3.0 caller's answer is
 * the source's, as before.
 */

type Approval = {
  creative_id: string;
  approval_status: 'pending_review' | 'approved' | 'rejected';
  rejection_reason?: string;
};

/** Reads a package's approvals: `reported` is what its source answered, if anything. */
export type ApprovalsOf = (
  row: MediaBuyRow,
  packageId: string,
  reported: unknown,
) => { creative_approvals?: Approval[] };

/** The approvals of the packages of `rows`, their creatives read from the library at once. */
export async function approvalsOf(
  deps: MerchandisingDeps,
  rows: readonly MediaBuyRow[],
): Promise<ApprovalsOf> {
  const packagesOf = (row: MediaBuyRow) =>
    (row.forwardResult ?? []).flatMap((leg) => leg.packages ?? []).map((p) => p.packageId);
  const ids = [
    ...new Set(rows.flatMap((row) => packagesOf(row).flatMap((p) => creativesOnPackage(row, p)))),
  ];
  const { storefront, principal } = agentRequest();
  const library =
    ids.length === 0
      ? []
      : await deps.creativeReviews.creativesWithPurgedOf(storefront.id, principal.customerId, ids);
  const byId = new Map(library.map((row) => [row.creativeId, row]));
  return (row, packageId, reported) => {
    const onPackage = creativesOnPackage(row, packageId);
    if (onPackage.length === 0) return {};
    const theirs = new Map(
      (Array.isArray(reported) ? reported : [])
        .filter(isRecord)
        .map((entry) => [entry['creative_id'], entry] as const),
    );
    return {
      creative_approvals: onPackage.flatMap((id) => {
        const approval = approvalOf(id, byId.get(id), theirs.get(id));
        return approval ? [approval] : [];
      }),
    };
  };
}

const states = new Set(['pending_review', 'approved', 'rejected']);

function approvalOf(
  id: string,
  kept: CreativeRow | undefined,
  reported: Record<string, unknown> | undefined,
): Approval | undefined {
  // A purged creative (3.1): gone from the library, for good; the impairment says so too.
  if (kept?.purgedAt) {
    const why = `Purged by the seller (${kept.purgeReason ?? 'seller_removed'})`;
    return { creative_id: id, approval_status: 'rejected', rejection_reason: why };
  }
  if (kept?.status === 'archived') return undefined;
  // A suspended creative: 3.1's creative-approval-status has no such value; pending_review is
  // its nearest (not serving, no resubmission asked, decided by the seller's side), and the
  // buy's impairment says why (impairments.ts).
  if (kept?.status === 'pending' || kept?.status === 'suspended') {
    return { creative_id: id, approval_status: 'pending_review' };
  }
  if (kept?.status === 'rejected' || kept?.status === 'revoked') {
    return {
      creative_id: id,
      approval_status: 'rejected',
      ...(kept.reviewerNotes && { rejection_reason: kept.reviewerNotes.slice(0, 500) }),
    };
  }
  const status = reported?.['approval_status'];
  if (typeof status === 'string' && states.has(status)) {
    const reason = reported?.['rejection_reason'];
    return {
      creative_id: id,
      approval_status: status as Approval['approval_status'],
      ...(status === 'rejected' && typeof reason === 'string' && { rejection_reason: reason }),
    };
  }
  return kept ? { creative_id: id, approval_status: 'approved' } : undefined;
}
