import type { Db } from '../../../platform/db/database.js';
import type * as ledger from '../ledger/store.js';
import { activeAvailPrices } from './avails-store.js';
import type { BuyPackage } from './packages.js';
import { BuyRefused } from './refused.js';
import { impressionsFor } from '../../../sources/money.js';

/** What a buyer's create_media_buy asks of a modular source, as the source reads it. */
export interface PlaceRequest {
  idempotencyKey: string;
  startTime: string;
  endTime: string;
  brandDomain: string | null;
  poNumber: string | null;
  packages: Array<{
    productId: string;
    pricingOptionId: string;
    budget: number;
    impressions?: number | undefined;
    /** The CPM the storefront quoted the package at, which it books; absent: the avail's own. */
    cpm?: number | undefined;
    creatives: Array<{ creativeId: string; name: string | null }>;
  }>;
}

/**
 * A hold that did not fit, as the buyer's AdCP error: the package field that asked too much
 * (its `impressions` when it named them, else its `budget`), the impressions it asked for and
 * those left (docs/modular-sources.md).
 */
export function refusal(
  pkg: BuyPackage,
  held: Exclude<ledger.HoldOutcome, { ok: true }>,
  asked: { index: number; byImpressions: boolean },
): BuyRefused {
  const at = `packages[${asked.index}]`;
  if (held.reason === 'not_found') {
    return new BuyRefused(
      'PRODUCT_NOT_FOUND',
      `Product ${pkg.availId} is no longer on sale`,
      { product_id: pkg.availId },
      `${at}.product_id`,
    );
  }
  return new BuyRefused(
    'PRODUCT_UNAVAILABLE',
    `Product ${pkg.availId} has ${held.available} impressions left; the package asks for ${pkg.impressions}`,
    {
      product_id: pkg.availId,
      requested_impressions: pkg.impressions,
      available_impressions: held.available,
    },
    `${at}.${asked.byImpressions ? 'impressions' : 'budget'}`,
  );
}

/**
 * The buy's packages priced from the avails they name: at the CPM the storefront quoted (else
 * the avail's own), impressions the package's own or its budget at that CPM. An avail off sale, a
 * pricing option it does not have, a flight missing the avail or ending after it, or a budget
 * buying nothing is refused before anything is held.
 */
export async function priced(
  db: Db,
  inventorySourceId: number,
  buyId: string,
  request: PlaceRequest,
  buyerCustomerId: number,
): Promise<BuyPackage[]> {
  const ids = [...new Set(request.packages.map((p) => p.productId))];
  const avails = (await activeAvailPrices(db, inventorySourceId, ids, buyerCustomerId)).map(
    (a) => ({
      avail_id: a.availId,
      cpm: a.cpm,
      currency: a.currency,
      start_time: a.startTime,
      end_time: a.endTime,
    }),
  );
  const byId = new Map(avails.map((a) => [a.avail_id, a]));
  const start = new Date(request.startTime);
  const end = new Date(request.endTime);
  return request.packages.map((pkg, index) => {
    const avail = byId.get(pkg.productId);
    if (!avail || avail.cpm === null) {
      throw new BuyRefused(
        'PRODUCT_NOT_FOUND',
        `Product ${pkg.productId} is not on sale`,
        {},
        `packages[${index}].product_id`,
      );
    }
    if (pkg.pricingOptionId !== `${pkg.productId}_cpm`) {
      throw new BuyRefused(
        'INVALID_REQUEST',
        `Product ${pkg.productId} has one pricing option: ${pkg.productId}_cpm`,
        {},
        `packages[${index}].pricing_option_id`,
      );
    }
    const outside = flightRefusal(pkg.productId, avail, { start, end }, `packages[${index}]`);
    if (outside) throw outside;
    // The price the buyer was quoted binds (issue 68): the storefront's rules, card and discount
    // made it, and the ledger books the impressions the budget buys at it.
    const cpm = pkg.cpm ?? Number(avail.cpm);
    const impressions = pkg.impressions ?? impressionsFor(pkg.budget, cpm);
    if (!Number.isSafeInteger(impressions) || impressions < 1) {
      throw new BuyRefused(
        'BUDGET_TOO_LOW',
        `A budget of ${pkg.budget} buys no impression of ${pkg.productId} at ${cpm} CPM`,
      );
    }
    return {
      packageId: `${buyId}_p${index + 1}`,
      availId: pkg.productId,
      pricingOptionId: pkg.pricingOptionId,
      impressions,
      budget: pkg.budget,
      cpm,
      currency: avail.currency ?? 'USD',
      bookingId: null,
      creatives: pkg.creatives,
    };
  });
}

/**
 * A flight a package of `availId` cannot run: one missing the avail, or one ending after it
 * (issue 68, item 3: the storefront refuses it first, buys/describe/flights.ts; this holds when it
 * could not ask). `at`: the package's field path.
 */
export function flightRefusal(
  availId: string,
  avail: { start_time: Date | string; end_time: Date | string },
  flight: { start: Date; end: Date },
  at: string,
): BuyRefused | undefined {
  const from = new Date(avail.start_time);
  const to = new Date(avail.end_time);
  if (flight.end <= from || flight.start >= to) {
    return new BuyRefused(
      'INVALID_REQUEST',
      `The flight misses product ${availId}, on sale from ${from.toISOString()} to ${to.toISOString()}`,
    );
  }
  if (flight.end > to) {
    return new BuyRefused(
      'INVALID_REQUEST',
      `The flight ends ${flight.end.toISOString()}, after product ${availId} stops running at ${to.toISOString()}`,
      {},
      `${at}.end_time`,
    );
  }
  return undefined;
}
