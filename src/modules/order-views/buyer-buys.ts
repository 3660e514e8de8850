import type { CampaignRow, DirectRow } from './buyer-buys-store.js';
import { flightStartOf } from '../orders/index.js';
import { confirmedBudgetOf, sellerStatusOf } from './views.js';

/** How a buyer sees each of its media buys (the rows buyer-buys-store.ts reads). */

// A buy split over sources reads as its least advanced part (the storefront agent's rule).
const rank = ['pending_creatives', 'pending_start', 'active', 'paused', 'completed', 'canceled'];
const buyerStatus: Record<string, string> = {
  pending_creatives: 'ACTIVE',
  pending_start: 'ACTIVE',
  active: 'ACTIVE',
  paused: 'PAUSED',
  completed: 'COMPLETED',
  canceled: 'CANCELED',
  rejected: 'REJECTED',
};

/**
 * A storefront buy's status in the buyer's words (campaigns' vocabulary, docs/buying.md): the
 * storefront's own state first (awaiting approval or a source's task, refused, failed), then
 * what its sources last answered.
 */
function statusOf(row: DirectRow['buy']): { status: string; adcpStatus: string | null } {
  switch (sellerStatusOf(row, false)) {
    case 'pending_approval':
    case 'awaiting_source':
    case 'forwarding':
      return { status: 'PENDING_APPROVAL', adcpStatus: null };
    case 'rejected':
      return { status: 'REJECTED', adcpStatus: 'rejected' };
    case 'canceled':
      return { status: 'CANCELED', adcpStatus: 'canceled' };
    case 'forward_failed':
      return { status: 'FAILED', adcpStatus: null };
    default: {
      const answered = (row.forwardResult ?? [])
        .filter((leg) => leg.status === 'completed')
        .flatMap((leg) => (leg.mediaBuyStatus ? [leg.mediaBuyStatus] : []))
        .sort((a, b) => rank.indexOf(a) - rank.indexOf(b))[0];
      return {
        status: (answered && buyerStatus[answered]) ?? 'ACTIVE',
        adcpStatus: answered ?? null,
      };
    }
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** A buy placed straight on a storefront agent, as the buyer's list shows it. */
export function directBuyView(row: DirectRow) {
  const payload = row.buy.submittedPayload;
  const total = payload['total_budget'] as { currency?: unknown } | undefined;
  const brand = payload['brand'] as { domain?: unknown } | undefined;
  const po = text(payload['po_number']);
  const storefrontName = row.storefrontName ?? `storefront ${row.buy.storefrontId}`;
  return {
    mediaBuyId: row.buy.mediaBuyId,
    origin: 'storefront_agent' as const,
    name: po ? `${po} on ${storefrontName}` : `Media buy on ${storefrontName}`,
    ...statusOf(row.buy),
    campaignId: null,
    advertiserId: null,
    storefront: { id: String(row.buy.storefrontId), name: storefrontName },
    salesAgentName: storefrontName,
    brandDomain: text(brand?.domain),
    poNumber: po,
    // As the sellers last confirmed it (after an update), else as booked.
    budget: confirmedBudgetOf(row.buy),
    currency: text(total?.currency) ?? row.storefrontCurrency ?? null,
    // `asap` started when the buy was placed, as its sources were told (orders' lifecycle.ts).
    startTime: text(flightStartOf(row.buy)),
    endTime: text(payload['end_time']),
    createdAt: row.buy.createdAt.toISOString(),
  };
}

/** A campaign's buy, as the buyer's list shows it (the campaign's own record). */
export function campaignBuyView(row: CampaignRow) {
  const buy = row.buy;
  return {
    mediaBuyId: buy.id,
    origin: 'campaign' as const,
    name: buy.name,
    status: buy.status,
    adcpStatus: null,
    campaignId: buy.campaignId,
    advertiserId: String(buy.advertiserId),
    storefront:
      buy.storefrontId === null
        ? null
        : { id: String(buy.storefrontId), name: row.storefrontName ?? buy.salesAgentName },
    salesAgentName: buy.salesAgentName,
    brandDomain: null,
    poNumber: null,
    budget: buy.budget,
    currency: buy.currency,
    startTime: buy.startTime.toISOString(),
    endTime: buy.endTime.toISOString(),
    createdAt: buy.createdAt.toISOString(),
  };
}
