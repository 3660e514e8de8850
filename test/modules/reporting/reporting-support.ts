import { expect } from 'vitest';
import type { Harness, TestCustomer } from '../../harness.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';

type Sf = { id: number; platformId: string };

export interface BookedCampaign {
  buyer: TestCustomer;
  advertiserId: string;
  campaignId: string;
  /** The campaign's media buys as the buyer lists them, by storefront platform id. */
  buys: Map<string, Json>;
}

/**
 * A buyer's campaign booked on each storefront (one selected product each), its flight from
 * `flight.startsInMs` (default: started yesterday) to `flight.endsInMs` from now: a short
 * flight makes sellers that spend evenly over it report figures within seconds. A flight under
 * way is booked `asap`; @adcp/sdk's example seller reports an `asap` flight with an invalid
 * reporting period (its answer fails its own schema), so buys there start a few seconds ahead.
 */
export async function bookedCampaign(
  h: Harness,
  storefronts: Sf[],
  flight: { startsInMs?: number; endsInMs?: number } = {},
): Promise<BookedCampaign> {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  const found = await discover(h, buyer.key, {
    advertiserId: Number(advertiserId),
    brief: 'Outdoor display for a spring launch',
    budget: 40_000,
    storefrontIds: storefronts.map((s) => s.id),
  });
  expect(found.status, found.text).toBe(200);
  const page = found.body.data;
  const picks = storefronts.map((s) => productsOf(page, s.platformId)[0]);
  expect(picks.every(Boolean), JSON.stringify(page.agentResults)).toBe(true);
  const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
    key: buyer.key,
    body: { products: picks.map((p) => selectionOf(p)) },
  });
  expect(selected.status, selected.text).toBe(200);
  // The flight is timed from here, not before the discovery: on a loaded machine a discovery
  // can outlast a flight meant to start a few seconds after the buy is booked.
  const startsAt = Date.now() + (flight.startsInMs ?? -86_400_000);
  const endsAt = Date.now() + (flight.endsInMs ?? 60_000);
  const created = await h.call('POST', '/api/v2/buyer/campaigns', {
    key: buyer.key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'Delivery under way',
      flightDates: {
        startDate: new Date(startsAt).toISOString(),
        endDate: new Date(endsAt).toISOString(),
      },
      budget: { total: 40_000, currency: 'USD' },
      discoveryId: page.discoveryId,
    },
  });
  expect(created.status, created.text).toBe(201);
  const campaignId = created.body.data.campaign.campaignId as string;
  const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
    key: buyer.key,
    body: {},
  });
  expect(executed.status, executed.text).toBe(200);
  expect(executed.body.data.errors).toEqual([]);
  const list = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys`, {
    key: buyer.key,
  });
  const buys = new Map<string, Json>();
  for (const s of storefronts) {
    const buy = (list.body.data.items as Json[]).find(
      (b) => b.salesAgentId === `storefront-${s.platformId}`,
    );
    expect(buy?.sellerMediaBuyId).toBeTruthy();
    buys.set(s.platformId, buy);
  }
  // Sellers report nothing before the flight starts.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt - Date.now() + 1500)));
  return { buyer, advertiserId, campaignId, buys };
}

/** The reporting metrics a buyer sees for a query string. */
export async function metrics(h: Harness, key: string, query: string) {
  return h.call('GET', `/api/v2/buyer/reporting/metrics?${query}`, { key });
}

/** An AdCP delivery report of one buy's package over [start, end] (what a seller pushes). */
export function deliveryReport(
  sellerMediaBuyId: string,
  packageId: string,
  period: { start: string; end: string },
  figures: { impressions: number; spend: number; clicks?: number },
  currency = 'USD',
) {
  return {
    reporting_period: { start: `${period.start}T00:00:00Z`, end: `${period.end}T23:59:59Z` },
    currency,
    media_buy_deliveries: [
      {
        media_buy_id: sellerMediaBuyId,
        status: 'active',
        totals: figures,
        by_package: [{ package_id: packageId, ...figures }],
      },
    ],
  };
}

/** Records a seller's report of one day for a buy's first package, as a notification would. */
export function recordDelivery(
  h: Harness,
  buy: { mediaBuyId: string; sellerMediaBuyId: string; packages: Array<{ packageId: string }> },
  day: string,
  figures: { impressions: number; spend: number; clicks?: number },
  currency = 'USD',
) {
  return h.services.delivery.applyDeliveryReport(
    buy.mediaBuyId,
    deliveryReport(
      buy.sellerMediaBuyId,
      buy.packages[0]!.packageId,
      { start: day, end: day },
      figures,
      currency,
    ),
  );
}
