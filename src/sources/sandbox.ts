/**
 * A sandbox account's scope: one buyer on one storefront. The sandbox keeps what a buyer seeds
 * (comply_test_controller) under it, and the source registry asks it for that buyer's sandbox
 * source under the same key.
 */
export const sandboxScope = (storefrontId: number, customerId: number) =>
  `${storefrontId}:${customerId}`;
