import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';

export type Product = GetProductsResponse['products'][number];

/** A CPM price: `fixed` is a rate card price, `floor` an auction floor. */
export interface CatalogPrice {
  kind: 'fixed' | 'floor';
  cpm: number;
  minSpend?: number;
}

/** What an in-memory seller sells: its products, and the price behind each pricing option. */
export interface SellerCatalog {
  products: Product[];
  findProduct(productId: string): Product | undefined;
  /** One of a product's pricing options: its CPM (rate card or floor) and minimum spend. */
  findPrice(productId: string, pricingOptionId: string): CatalogPrice | undefined;
  /**
   * The variance against third-party billing measurement the seller holds to on a product that
   * declares none in its `measurement_terms`; a tighter proposed variance is TERMS_REJECTED.
   * Unset: the seller accepts what the buyer proposes.
   */
  billingVariancePercent?: number;
}

/**
 * Products matching the request's filters. A brief ranks products by how many of its words
 * appear in their name and description; wholesale returns the catalogue as is.
 */
export function selectProducts(catalog: SellerCatalog, request: GetProductsRequest): Product[] {
  const matching = matchingFilters(catalog.products, request.filters);
  if (request.buying_mode !== 'brief' || !request.brief) return matching;
  const words = request.brief.toLowerCase().match(/[a-z]{3,}/g) ?? [];
  const score = (product: Product): number => {
    const text = `${product.name} ${product.description}`.toLowerCase();
    return words.filter((word) => text.includes(word)).length;
  };
  return [...matching].sort((a, b) => score(b) - score(a));
}

/** A rate card price (`fixed_price`), as opposed to an auction's floor. */
const isFixed = (option: Product['pricing_options'][number]) =>
  typeof (option as { fixed_price?: unknown }).fixed_price === 'number';

/** The products a request's channel, delivery-type and fixed-price filters keep, in order. */
export function matchingFilters(
  products: Product[],
  filters: GetProductsRequest['filters'],
): Product[] {
  const channels = filters?.channels;
  const deliveryType = filters?.delivery_type;
  const fixed = filters?.is_fixed_price;
  return products.filter(
    (product) =>
      (!channels?.length || product.channels?.some((channel) => channels.includes(channel))) &&
      (!deliveryType || product.delivery_type === deliveryType) &&
      (fixed === undefined || product.pricing_options.some((o) => isFixed(o) === fixed)),
  );
}
