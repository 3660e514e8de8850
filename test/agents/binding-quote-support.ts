import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from '../harness.js';

/**
 * What the binding-quote tests share (issue 68, item 1): a seller's hard floor and a buyer's
 * discount set over the REST API, and a buy over MCP of a product on the option it was shown.
 */

/** The storefront's rate card: one hard floor (CPM) over every product. */
export async function hardFloor(h: Harness, sellerKey: string, floor: number) {
  const card = await h.call('PUT', '/api/v2/storefront', {
    key: sellerKey,
    body: {
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
    },
  });
  expect(card.status, card.text).toBe(200);
}

/** A buyer instruction giving every buyer `percent` off. */
export async function discountForAll(h: Harness, sellerKey: string, percent: number) {
  const terms = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
    key: sellerKey,
    body: {
      operatorDomain: null,
      brandDomain: null,
      discountPercent: percent,
      notes: null,
      countries: null,
      posture: null,
    },
  });
  expect(terms.status, terms.text).toBe(201);
}

export type ShownOption = {
  pricing_option_id: string;
  fixed_price?: number;
  floor_price?: number;
  price_breakdown?: { list_price: number; adjustments: Array<Record<string, unknown>> };
};
export type ShownProduct = { product_id: string; pricing_options: ShownOption[] };

/** A create_media_buy of `product` on `option` for `budget`, starting now, ending `endTime`. */
export function buyAt(
  product: ShownProduct,
  option: ShownOption,
  budget: number,
  account: Record<string, unknown>,
  endTime: string,
  pkg: Record<string, unknown> = {},
) {
  return {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: endTime,
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: option.pricing_option_id,
        budget,
        ...pkg,
      },
    ],
  };
}
