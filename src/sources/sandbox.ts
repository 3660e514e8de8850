import { isRecord } from '../platform/is-record.js';

/**
 * A sandbox account's scope: one buyer on one storefront. The sandbox keeps what a buyer seeds
 * (comply_test_controller) under it, and the source registry asks it for that buyer's sandbox
 * source under the same key.
 */
export const sandboxScope = (storefrontId: number, customerId: number) =>
  `${storefrontId}:${customerId}`;

/**
 * A seed_pricing_option's option as AdCP's comply_test_controller carries it: its id in
 * `params.pricing_option_id`, the option itself in `params.fixture` (as the storyboard runner
 * sends it); fields given beside the fixture (an older shape) are read too and win. The kinds that
 * hold seeded products (ad servers, spreadsheets) read it so.
 */
export function seededOptionOf(params: Record<string, unknown>): Record<string, unknown> {
  const { product_id: _product, fixture, ...flat } = params;
  return { ...(isRecord(fixture) ? fixture : {}), ...flat };
}
