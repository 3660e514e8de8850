import fc from 'fast-check';

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
  budget: amount(50, 20_000),
  capacity: fc.integer({ min: 1_000, max: 3_000_000 }),
});

const cents = (value: number) => Math.round(value * 100) / 100;

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
  budget: number;
};

export const plans: fc.Arbitrary<Plan> = fc.record({
  rows: fc.array(
    fc.record({ capacity: fc.integer({ min: 5_000, max: 2_000_000 }), cpm: amount(2, 45) }),
    { minLength: 1, maxLength: 4 },
  ),
  floor: fc.option(amount(2, 50), { nil: null }),
  discount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
  budget: fc.integer({ min: 1, max: 60 }).map((k) => k * 1_000),
});

/** An auction buy at an agent: the card's hard floor and the buyer's bid (or none). */
export type Auction = { floor: number; bid: number | null; budget: number };

export const auctions: fc.Arbitrary<Auction> = fc.record({
  floor: amount(1, 30),
  bid: fc.option(amount(0.5, 40), { nil: null }),
  budget: amount(100, 20_000),
});
