import { InvalidRequestError } from '@adcp/sdk/server';
import { hardFloorOf, packageAskOf } from '../../../../modules/rate-cards/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import type { MerchandisingDeps } from '../../deps.js';
import { gatherSourceProducts } from '../../products/composition.js';
import type { SalesRequest } from '../../adcp.js';

/**
 * A bid under the seller's hard floor is refused at create_media_buy (issue 47, item 3): the
 * answer showed prices held to the floor, and a buyer's `bid_price` must not undercut it either.
 * The storefront keeps no price it showed, so the floor is recomputed here from the rate card
 * matched against the product as the sources describe it now (the same matching as the answer),
 * for the countries the package targets and the buy's budget, flight and brand. Sources are asked only when the card has a hard floor
 * and a package bids.
 */
export async function refuseBidsUnderFloor(
  deps: MerchandisingDeps,
  storefront: StorefrontRow,
  customerId: number,
  request: SalesRequest<'createMediaBuy'>,
): Promise<void> {
  const bidding = (request.packages ?? []).flatMap((pkg, index) =>
    typeof pkg.bid_price === 'number' ? [{ pkg, index, bid: pkg.bid_price }] : [],
  );
  if (bidding.length === 0 || !deps.rateCards) return;
  const card = await deps.rateCards.rateCardOf(storefront.id);
  if (!card.facts.some((fact) => fact.strength === 'hard_floor')) return;
  // Fixtures included: a live account naming one was refused before (fixture-gate.ts).
  const gathered = await gatherSourceProducts(
    deps,
    storefront,
    customerId,
    { buying_mode: 'wholesale', ...(request.account && { account: request.account }) },
    { sandbox: true },
  );
  let products = gathered.products;
  if (deps.productRules && storefront.storefrontType === 'composition') {
    products = await deps.productRules.shape(storefront.id, products);
  }
  const byId = new Map(products.map((product) => [product.product_id, product]));
  for (const { pkg, index, bid } of bidding) {
    // A product no source describes now is refused by routing, not here.
    const product = byId.get(pkg.product_id);
    if (!product) continue;
    const floor = hardFloorOf(product, pkg.pricing_option_id, card, {
      ask: packageAskOf(pkg, request),
      storefrontCurrency: storefront.defaultCurrency,
    });
    if (floor !== undefined && bid < floor) {
      throw new InvalidRequestError(
        `packages[${index}].bid_price`,
        `bid_price ${bid} is below the seller's floor of ${floor} for product ${pkg.product_id} (pricing option ${pkg.pricing_option_id}); bid at least ${floor}`,
      );
    }
  }
}
