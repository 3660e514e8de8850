import type { CreateMediaBuySuccess, MediaBuyStatus } from '@adcp/sdk/types';
import type { ForwardLeg, ForwardSummary, MediaBuyRow } from '../../../../modules/orders/index.js';
import { leastAdvanced, validActionsOf } from '../reads/status.js';
import { availableActionsOf } from '../reads/actions31.js';
import { speaks31 } from '../../../adcp31/index.js';
import { inlineAsAssigned } from '../inline-creatives.js';
import { parseProductId } from '../../products/product-ids.js';
import { packagesInOrder } from './packages-in-order.js';
import { refusalOf } from './refusals.js';

/**
 * A package a source refused while the buy's other sources booked theirs: said beside the
 * success answer under `ext.interchange.refused_packages`, since create_media_buy's success arm
 * may not carry `errors` (`"not": {"required": ["errors"]}` in the 3.0.6 and 3.1.19 schemas).
 */
export interface RefusedPackage {
  source_id: string;
  product_id: string;
  code: string;
  message: string;
  field?: string;
}

/** What create_media_buy (or its task, once approved) answers for a forwarded buy. */
export function createdResponse(
  row: MediaBuyRow,
  summary: ForwardSummary,
  template?: Parameters<typeof availableActionsOf>[2],
): CreateMediaBuySuccess {
  if (summary.outcome === 'all_failed' || summary.outcome === 'precondition_failed') {
    throw refusalOf(row, summary);
  }
  const request = row.submittedPayload;
  const routed = row.routedPackages ?? request.packages ?? [];

  const askedFor = packagesInOrder(routed);
  // AdCP 3.1: a package's own context echoed, so a buyer correlates it with its line.
  const v31 = speaks31();
  const packages = summary.legs.flatMap((leg) =>
    (leg.packages ?? []).map((pkg) => {
      const asked = askedFor(pkg.productId);
      return {
        package_id: pkg.packageId,
        product_id: pkg.productId,
        ...(asked?.budget !== undefined && { budget: asked.budget }),
        ...(v31 && asked?.context && { context: asked.context }),
      };
    }),
  );
  const hasCreatives = inlineAsAssigned(routed).every(
    (pkg) => (pkg.creative_assignments ?? []).length > 0,
  );
  // The least advanced status any source answered; our own reading only when none said.
  const answered = leastAdvanced(
    summary.legs.flatMap((leg) => (leg.mediaBuyStatus ? [leg.mediaBuyStatus] : [])),
  );
  const status = answered ?? (hasCreatives ? 'active' : 'pending_creatives');
  // What the buyer may do next: what every source that took a part allows.
  const parts = summary.legs
    .filter((leg) => leg.status === 'completed')
    .map((leg) => ({ status: leg.mediaBuyStatus, validActions: leg.validActions }));
  const actions = validActionsOf(parts, status);
  const refused =
    summary.outcome === 'partial'
      ? refusedPackages(
          summary.legs,
          routed.map((pkg) => pkg.product_id),
        )
      : [];
  const key = request.idempotency_key;
  return {
    media_buy_id: row.mediaBuyId,
    // The buyer's key echoed (the 3.0.6 idempotency storyboard reads `idempotency_key` back
    // from the create's answer; the response schemas of 3.0.6 and 3.1.19 allow the field).
    ...(typeof key === 'string' && { idempotency_key: key }),
    // The statuses sources answered are AdCP's (their answers' media_buy status).
    status: status as MediaBuyStatus,
    ...(actions && { valid_actions: actions }),
    // AdCP 3.1: the buy's open actions, its products' template resolved onto it (3.1 callers).
    ...(v31 && { available_actions: availableActionsOf(status, parts, template) }),
    packages,
    ...(refused.length > 0 && { ext: { interchange: { refused_packages: refused } } }),
  };
}

/** Each package of a source that refused its part, with the source's reason. */
function refusedPackages(legs: ForwardLeg[], productIds: string[]): RefusedPackage[] {
  const sourceIds = legs.map((leg) => leg.sourceId);
  return legs.flatMap((leg) => {
    const error = leg.error;
    if (leg.status !== 'failed' || !error) return [];
    return productIds
      .filter((id) => parseProductId(id, sourceIds)?.sourceId === leg.sourceId)
      .map((productId) => ({
        source_id: leg.sourceId,
        product_id: productId,
        code: error.code,
        message: `${leg.sourceId}: ${error.message}`,
        ...(error.field !== undefined && { field: error.field }),
      }));
  });
}
