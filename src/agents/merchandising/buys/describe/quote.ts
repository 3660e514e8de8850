import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import type { QuoteRecord, ShownQuote } from '../../../../modules/discovery-runs/index.js';
import { hardFloorOf, packageAskOf } from '../../../../modules/rate-cards/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import { agentIdOf } from '../../../../modules/storefronts/index.js';
import { impressionsFor } from '../../../../sources/money.js';
import type { InventorySource, QuotedPrice, SourcePackage } from '../../../../sources/port.js';
import type { MerchandisingDeps } from '../../deps.js';
import { ownFixedPricesOf, pricedForBuyer, quoteOfOption } from '../../products/buyer-prices.js';
import { relabeledCopy } from '../../products/product-ids.js';
import type { Product } from '../../types.js';
import type { SalesRequest } from '../../adcp.js';
import { refuseOutsideFlights } from './flights.js';
import {
  checksPropertyList,
  type Described,
  type DescribedPackage,
  describePackages,
  type PackageAt,
} from './packages.js';

/*
 * The binding quote (issue 68, item 1): each package of a buy is booked at the price its buyer
 * was shown for its product and pricing option, kept with the answer that showed it (discovery
 * runs' quotes, for a week: quoteHoldsMs), or, never shown (or shown longer ago), at the price
 * get_products would show it now (buyer-prices.ts). Its source is told that price: a kind that
 * books quoted prices gets it as `quoted_price`, and every source the impressions the budget buys
 * at it (money.ts) and, on an auction option, the bid (the buyer's; at an agent, else the floor
 * shown). What a source cannot take is refused here, before the buy is recorded or booked:
 * - a bid under the floor shown, or under the rate card's hard floor for this package, at
 *   `packages[i].bid_price`;
 * - a fixed price under the hard floor the card holds the package to now, or unlike the price an
 *   AdCP agent books for the option (AdCP carries no fixed price to an agent), REQUOTE_REQUIRED at
 *   `packages[i].pricing_option_id`;
 * - more impressions than the budget buys at the price, at `packages[i].impressions`.
 */

type Option = Product['pricing_options'][number] & { fixed_price?: number; floor_price?: number };

/** Storefronts' buys: the request's parts the quote reads. */
type BuyRequest = Pick<
  SalesRequest<'createMediaBuy'>,
  'account' | 'brand' | 'start_time' | 'end_time' | 'packages'
>;

/**
 * The buy's packages as their sources are to be told them, each at its binding price (the quote
 * kept on the package as `quoted_price`), or refused. A package whose price no one knows (its
 * product neither shown nor described now) goes as the buyer sent it: its source prices it.
 * Answers them with what the sources described (the buy's one "describe the packages" step).
 */
export async function boundPackages(
  deps: Pick<
    MerchandisingDeps,
    'discoveryRuns' | 'rateCards' | 'buyerInstructions' | 'productRules' | 'sourceBudgetMs'
  >,
  storefront: StorefrontRow,
  customerId: number,
  request: BuyRequest,
  toDescribe: {
    packages: readonly PackageAt[];
    sources: readonly InventorySource[];
    sandbox?: boolean;
  },
): Promise<{ bound: SourcePackage[]; described: Described }> {
  const brand = request.brand?.domain ?? brandOfAccount(request.account) ?? null;
  const asked = [...new Set(toDescribe.packages.map((entry) => entry.asked.product_id))];
  const shown = await deps.discoveryRuns.quotesShown(storefront.id, customerId, asked, brand);
  const card = (await deps.rateCards?.rateCardOf(storefront.id)) ?? { currency: null, facts: [] };
  const floors = card.facts.some((fact) => fact.strength === 'hard_floor');
  // A source is asked only when a check reads its answer: a hard floor to hold, products with
  // flights to keep packages within, a package never shown at a kind that books quoted prices
  // (priced now), or a 3.1 package whose property list its source can be checked against
  // (property-lists/packages.ts). An agent's package never shown goes as the buyer sent it, at
  // the agent's own price, as before quotes; else no source hears.
  const described = await describePackages(deps, toDescribe.packages, toDescribe.sources, {
    customerId,
    account: request.account,
    ...(toDescribe.sandbox === true && { sandbox: true }),
    asks: (port, own) =>
      floors ||
      port.productFlights === true ||
      (port.booksQuotedPrice === true &&
        own.some((e) => !shownQuote(shown.get(e.asked.product_id), e.asked.pricing_option_id))) ||
      (port.filtersByProperty === true && own.some(checksPropertyList)),
  });
  refuseOutsideFlights(described.packages, request);
  const pricedNow = pricerFor(deps, storefront, request, card);
  const bound: SourcePackage[] = [];
  for (const entry of described.packages) {
    const quote =
      shownQuote(shown.get(entry.asked.productId), entry.asked.pricingOptionId) ??
      (await pricedNow(entry));
    // The storefront's view of the product now (its rules and card applied), for the floor.
    const floorNow = entry.product
      ? hardFloorOf(relabeled(storefront, entry), entry.pkg.pricing_option_id, card, {
          ask: packageAskOf(entry.pkg, request),
          storefrontCurrency: storefront.defaultCurrency,
        })
      : undefined;
    bound.push(quote ? toldPrice(entry, quote, floorNow) : entry.pkg);
  }
  // What the sources said is the later checks' to read too (create/package-terms.ts).
  return { bound, described };
}

const brandOfAccount = (account: unknown): string | undefined => {
  const brand = (account as { brand?: { domain?: unknown } } | undefined)?.brand;
  return typeof brand?.domain === 'string' ? brand.domain : undefined;
};

const shownQuote = (shown: ShownQuote | undefined, optionId: string) => shown?.options[optionId];

/** The package's product as the storefront shows it (its id namespaced, routing annotation). */
function relabeled(storefront: StorefrontRow, entry: DescribedPackage): Product {
  return relabeledCopy(
    entry.product!,
    agentIdOf(storefront.platformId),
    entry.port!.source.sourceId,
  );
}

/**
 * Prices a package never shown (or shown longer ago than a quote holds) as get_products would
 * show it to this buyer now: its product as its source describes it, through the storefront's
 * rules, card and the buyer's discount. Undefined when no source describes it.
 */
function pricerFor(
  deps: Pick<MerchandisingDeps, 'buyerInstructions' | 'productRules'>,
  storefront: StorefrontRow,
  request: BuyRequest,
  card: Awaited<ReturnType<NonNullable<MerchandisingDeps['rateCards']>['rateCardOf']>>,
) {
  let discount: Promise<number | null> | undefined;
  return async (entry: DescribedPackage): Promise<QuoteRecord | undefined> => {
    if (!entry.product || !entry.port) return undefined;
    const product = relabeled(storefront, entry);
    discount ??= deps.buyerInstructions
      .resolve(storefront.id, identityOf(request, entry.pkg))
      .then((terms) => terms.discountPercent);
    const [priced] = await pricedForBuyer(deps, storefront, [product], {
      rateCard: card,
      discountPercent: await discount,
      ask: packageAskOf(entry.pkg, request),
      ownFixedPrices: ownFixedPricesOf([entry.port]),
    });
    const optionOf = (p: Product | undefined) =>
      (p?.pricing_options as Option[] | undefined)?.find(
        (o) => o.pricing_option_id === entry.pkg.pricing_option_id,
      );
    const option = optionOf(priced);
    return option && quoteOfOption(option, optionOf(product));
  };
}

/** Who buys, as buyer instructions match it (the discount): the account's operator and brand. */
function identityOf(request: BuyRequest, pkg: SourcePackage) {
  const account = request.account as { operator?: unknown } | undefined;
  const countries = pkg.targeting_overlay?.geo_countries ?? [];
  return {
    operatorDomain: typeof account?.operator === 'string' ? account.operator : null,
    brandDomain: request.brand?.domain ?? brandOfAccount(request.account) ?? null,
    country: countries.length === 1 ? (countries[0] ?? null) : null,
  };
}

/**
 * The package at its quote, as its source is told it, or the refusal of what cannot be booked
 * at it (the checks above).
 */
function toldPrice(
  entry: DescribedPackage,
  quote: QuoteRecord,
  floorNow: number | undefined,
): SourcePackage {
  const { pkg, at } = entry;
  if (quote.price === null) return pkg;
  const auction = quote.kind === 'auction';
  // An agent is told a bid (the floor shown when the buyer sent none); a kind that books quoted
  // prices is told the buyer's own bid, or none (an adapter's platform then bids by itself).
  const quotedBid = entry.port?.booksQuotedPrice ? undefined : quote.price;
  const bid = auction ? (pkg.bid_price ?? quotedBid) : undefined;
  if (bid !== undefined) {
    const floor = Math.max(quote.price, floorNow ?? 0);
    if (bid < floor) {
      throw new InvalidRequestError(
        `${at}.bid_price`,
        `bid_price ${bid} is below the floor of ${floor} for product ${entry.asked.productId} (pricing option ${pkg.pricing_option_id}); bid at least ${floor}`,
      );
    }
  } else if (floorNow !== undefined && quote.price < floorNow) {
    throw requote(entry, quote, `is below the seller's floor of ${floorNow} now`);
  }
  const price = bid ?? quote.price;
  if (!auction && entry.port && !entry.port.booksQuotedPrice) {
    const own = (entry.product?.pricing_options as Option[] | undefined)?.find(
      (o) => o.pricing_option_id === pkg.pricing_option_id,
    )?.fixed_price;
    const sourcePrice = own ?? quote.listPrice;
    if (sourcePrice !== null && sourcePrice !== undefined && sourcePrice !== price) {
      throw requote(
        entry,
        quote,
        `cannot be booked: its source books this option at its own price of ${sourcePrice}, and AdCP carries no other fixed price to it`,
      );
    }
  }
  const told: QuotedPrice = {
    kind: quote.kind,
    pricing_model: quote.pricingModel,
    currency: quote.currency,
    price,
  };
  return {
    ...pkg,
    // Counted at a price the source books: a fixed price, or the bid placed.
    ...((!auction || bid !== undefined) && impressionsAt(entry, price, quote)),
    ...(bid !== undefined && { bid_price: bid }),
    quoted_price: told,
  };
}

/**
 * The impressions the package's budget buys at `price` (CPM), or the buyer's own if fewer. A
 * kind that books quoted prices counts them itself from `quoted_price` (money.ts, the same
 * rounding), so it is told only the buyer's own, and a refusal names the field the buyer sent.
 */
function impressionsAt(entry: DescribedPackage, price: number, quote: QuoteRecord) {
  if (quote.pricingModel !== 'cpm' || !(price > 0)) return {};
  if (entry.port?.booksQuotedPrice && entry.pkg.impressions === undefined) return {};
  const bought = impressionsFor(entry.pkg.budget, price);
  const own = entry.pkg.impressions;
  if (own !== undefined && own > bought) {
    throw new InvalidRequestError(
      `${entry.at}.impressions`,
      `impressions ${own} cost more than the budget of ${entry.pkg.budget} at ${price} CPM, which buys ${bought}; raise the budget or ask for fewer`,
    );
  }
  const impressions = own ?? bought;
  return impressions >= 1 ? { impressions } : {};
}

function requote(entry: DescribedPackage, quote: QuoteRecord, why: string): AdcpError {
  return new AdcpError('REQUOTE_REQUIRED', {
    message: `The price of ${quote.price} quoted for product ${entry.asked.productId} (pricing option ${entry.asked.pricingOptionId}) ${why}. Nothing was booked; ask get_products for the current price`,
    field: `${entry.at}.pricing_option_id`,
    recovery: 'correctable',
    details: {
      quoted_price: quote.price,
      ...(quote.listPrice !== null && { list_price: quote.listPrice }),
    },
  });
}

/**
 * `packages` (the buy's, narrowed to chosen format options) with the prices `bound` gave the same
 * packages: the quote and what it tells the source travel with whatever else was narrowed.
 */
export function withPrices<P extends object>(packages: P[], bound: SourcePackage[]): P[] {
  return packages.map((pkg, i) => {
    const { impressions, bid_price: bid, quoted_price: quoted } = bound[i] ?? {};
    return {
      ...pkg,
      ...(impressions !== undefined && { impressions }),
      ...(bid !== undefined && { bid_price: bid }),
      ...(quoted !== undefined && { quoted_price: quoted }),
    };
  });
}
