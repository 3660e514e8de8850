import fc from 'fast-check';
import { expect } from 'vitest';
import type { Harness } from '../harness.js';
import { cents } from '../../src/sources/money.js';
import { postures, type Posture } from '../../src/modules/postures/index.js';

/**
 * The generated cases of quote-properties.test.ts (issue 68, item 6): what a seller lists and
 * holds, the card's hard floor, the buyer's discount and the budget. Prices and budgets in cents,
 * as people write them.
 */
export type Terms = {
  /** The row's (or the ad server product's) list CPM. */
  list: number;
  /** The rate card's hard floor, or none. */
  floor: number | null;
  /** The buyer instruction's discount in percent (0: none). */
  discount: number;
  /** The negotiation posture the buyer instruction pins, or none: it orders answers, never prices. */
  posture: Posture | null;
  budget: number;
  /** Impressions the spreadsheet row holds. */
  capacity: number;
};

const amount = (min: number, max: number) =>
  fc.integer({ min: min * 100, max: max * 100 }).map((c) => c / 100);

export const terms: fc.Arbitrary<Terms> = fc.record({
  list: amount(1, 60),
  floor: fc.option(amount(1, 80), { nil: null }),
  discount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
  posture: fc.option(fc.constantFrom(...postures), { nil: null }),
  budget: amount(50, 20_000),
  capacity: fc.integer({ min: 1_000, max: 3_000_000 }),
});

/**
 * The price a buyer must be shown, as the seller set it up: the list less the discount, raised
 * to the hard floor where it falls under it ("no price below floorPrice after every discount",
 * the card's own words).
 */
export function expectedShown(t: Terms): number {
  const discounted = cents(t.list * (1 - t.discount / 100));
  return t.floor !== null && discounted < t.floor ? t.floor : discounted;
}

/** What `impressions` cost at `cpm`. */
export const spend = (impressions: number, cpm: number) => (impressions * cpm) / 1000;

/** The storefront body of a rate card with one hard floor over every product. */
export function cardOf(floor: number) {
  return {
    compositionPricing: {
      rateCard: {
        currency: 'USD',
        facts: [
          {
            id: 'floor',
            label: 'House floor',
            appliesWhen: 'Every product',
            pricing: { pricingModel: 'cpm', floorPrice: floor },
            strength: 'hard_floor',
          },
        ],
      },
    },
  };
}

/** A spreadsheet's video rows for the proposal property, and the budget of its brief. */
export type Plan = {
  rows: Array<{ capacity: number; cpm: number }>;
  floor: number | null;
  discount: number;
  posture: Posture | null;
  budget: number;
};

export const plans: fc.Arbitrary<Plan> = fc.record({
  rows: fc.array(
    fc.record({ capacity: fc.integer({ min: 5_000, max: 2_000_000 }), cpm: amount(2, 45) }),
    { minLength: 1, maxLength: 4 },
  ),
  floor: fc.option(amount(2, 50), { nil: null }),
  discount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
  posture: fc.option(fc.constantFrom(...postures), { nil: null }),
  budget: fc.integer({ min: 1, max: 60 }).map((k) => k * 1_000),
});

/** An auction buy at an agent: the card's hard floor and the buyer's bid (or none). */
export type Auction = { floor: number; bid: number | null; budget: number };

export const auctions: fc.Arbitrary<Auction> = fc.record({
  floor: amount(1, 30),
  bid: fc.option(amount(0.5, 40), { nil: null }),
  budget: amount(100, 20_000),
});

/** An adapter's auction: the buyer's discount, the card's hard floor, its bid (or none). */
export type AdapterAuction = {
  discount: number;
  floor: number | null;
  bid: number | null;
  budget: number;
};

export const adapterAuctions: fc.Arbitrary<AdapterAuction> = fc.record({
  discount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
  floor: fc.option(amount(0.5, 12), { nil: null }),
  // Bids about the platform's own floor (1) as often as bids anywhere.
  bid: fc.option(fc.oneof(amount(0.5, 2), amount(0.5, 15)), { nil: null, freq: 4 }),
  budget: amount(50, 20_000),
});

/**
 * The seller's lifecycle states (orders list) that say what a buyer's AdCP status says: a buy
 * the buyer reads as not started is never `delivering` on the seller's side (issue 68 item 4).
 */
const sellerStatesFor: Record<string, string[]> = {
  pending_creatives: ['booked', 'awaiting_source'],
  pending_start: ['booked', 'awaiting_source'],
  active: ['booked', 'delivering'],
  paused: ['paused'],
  completed: ['completed', 'delivering'],
  canceled: ['canceled'],
  rejected: ['rejected'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
type Json = any;
type Agent = { call: (tool: string, args: Record<string, unknown>) => Promise<Json> };

/**
 * The buyer's view of a buy (get_media_buys, get_media_buy_delivery over MCP) and the seller's
 * (the storefront's orders list over REST) agree: status, budget (`budget`, what the buyer paid),
 * flight, and what was delivered (impressions, spend). Answers the buyer's buy.
 */
export async function expectViewsAgree(
  h: Harness,
  buying: { agent: Agent; account: unknown },
  sellerKey: string,
  mediaBuyId: string,
  budget: number,
) {
  const ids = { media_buy_ids: [mediaBuyId], account: buying.account };
  const read = await buying.agent.call('get_media_buys', ids);
  expect(read.isError, JSON.stringify(read)).toBe(false);
  const buy = read.media_buys[0];
  const report = await buying.agent.call('get_media_buy_delivery', ids);
  expect(report.isError, JSON.stringify(report)).toBe(false);
  const delivered = report.media_buy_deliveries[0];
  const orders = await h.call('GET', '/api/v2/storefront/media-buys?take=200', { key: sellerKey });
  expect(orders.status, orders.text).toBe(200);
  const order = (orders.body.data.items as Array<Record<string, Json>>).find(
    (o) => o.mediaBuyId === mediaBuyId,
  );
  expect(order, orders.text).toBeTruthy();
  const packaged = cents(
    (buy.packages as Array<{ budget: number }>).reduce((s, p) => s + p.budget, 0),
  );
  const buyer = {
    budget: packaged,
    flight: [buy.start_time, buy.end_time],
    status: buy.status,
    delivered: [delivered.totals.impressions ?? 0, delivered.totals.spend ?? 0],
  };
  const seller = {
    budget: order!.budget,
    flight: [order!.flightStart, order!.flightEnd],
    status: order!.sourceStatus,
    delivered: [order!.pacing.deliveredImpressions, order!.pacing.deliveredSpend],
  };
  const context = JSON.stringify({ buy, order });
  expect(seller, context).toEqual(buyer);
  expect(buyer.budget, context).toBe(budget);
  expect(delivered.status, context).toBe(buy.status);
  expect(sellerStatesFor[buy.status] ?? [], context).toContain(order!.status);
  for (const leg of order!.sources as Array<{ status: string }>)
    expect(leg.status).toBe(buy.status);
  return buy;
}
