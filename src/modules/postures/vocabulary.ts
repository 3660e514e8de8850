/** The negotiation postures a storefront's get_products can take (docs/seller-analytics.md). */
export const postures = [
  'hold_value',
  'value_preserving_compromise',
  'tradeoff_ladder',
  'direct_fit',
  'price_first',
  'wholesale_mirror',
] as const;
export type Posture = (typeof postures)[number];
