import { z } from 'zod';

/**
 * What a storefront bills a buyer for delivery a seller confirmed past the buy's budget:
 * `not_billed` (the default, as insertion orders usually read: the budget is the ceiling) or
 * `billed` (the excess is charged). Both sides are shown it: the seller in its settings and
 * orders, the buyer with its delivery (get_media_buy_delivery `ext.interchange.billing`).
 */
export const overdeliveryBillings = ['not_billed', 'billed'] as const;
export type OverdeliveryBilling = (typeof overdeliveryBillings)[number];

export const overdeliveryBillingSchema = z
  .enum(overdeliveryBillings)
  .describe(
    "Delivery confirmed past a buy's budget: not_billed (default; the budget is the ceiling) " +
      'or billed (the excess is charged)',
  );
