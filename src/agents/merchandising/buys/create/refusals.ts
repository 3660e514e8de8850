import { AdcpError } from '@adcp/sdk/server';
import type { ForwardSummary, MediaBuyRow } from '../../../../modules/orders/index.js';
import { parseProductId } from '../../products/product-ids.js';

/**
 * The buyer's error when no source took a buy: the first refusal's code, the field it names
 * (a source names its own request's packages; the buyer is told its own package's index) and
 * the source's details (e.g. a modular source's requested and available impressions), beside
 * every source's leg.
 */
export function refusalOf(row: MediaBuyRow, summary: ForwardSummary): AdcpError {
  const leg = summary.legs.find((l) => l.error);
  const first = leg?.error;
  const field = leg && first?.field ? buyerField(row, leg.sourceId, first.field) : undefined;
  const message = summary.error ?? 'No inventory source accepted the media buy';
  const changed = proposalAllocationOf(row, field);
  return new AdcpError(first?.code ?? 'SERVICE_UNAVAILABLE', {
    message: changed
      ? `Allocation ${changed.sequence} of proposal ${changed.proposalId} (product ${changed.productId}) changed since it was offered: ${message}. Ask get_products for a current proposal`
      : message,
    ...((changed ? 'proposal_id' : field) && { field: changed ? 'proposal_id' : field }),
    details: {
      ...first?.details,
      ...(changed && { allocation: { sequence: changed.sequence, product_id: changed.productId } }),
      forward_result: summary.legs,
    },
  });
}

/**
 * The allocation a source refused, when the buy booked a proposal (issue 68, item 2): the
 * buyer sent no packages, so `packages[i]` is allocation i + 1 of its `proposal_id`.
 */
function proposalAllocationOf(row: MediaBuyRow, field: string | undefined) {
  const proposalId = row.submittedPayload.proposal_id;
  const at = field ? /^packages\[(\d+)\]/.exec(field) : null;
  if (typeof proposalId !== 'string' || !at) return undefined;
  const index = Number(at[1]);
  const pkg = (row.routedPackages ?? [])[index];
  if (!pkg) return undefined;
  return { proposalId, sequence: index + 1, productId: pkg.product_id };
}

/**
 * `packages[n]…` of the part sent to `sourceId` as the buyer's `packages[i]…`: the n-th of the
 * buy's packages routed to that source is the buyer's i-th. Any other field is left as named.
 */
export function buyerField(row: MediaBuyRow, sourceId: string, field: string): string {
  const at = /^packages\[(\d+)\](.*)$/.exec(field);
  if (!at) return field;
  const routed = row.routedPackages ?? row.submittedPayload.packages ?? [];
  const ofSource = routed.flatMap((pkg, index) =>
    parseProductId(pkg.product_id, [sourceId]) ? [index] : [],
  );
  const index = ofSource[Number(at[1])];
  return index === undefined ? field : `packages[${index}]${at[2]}`;
}
