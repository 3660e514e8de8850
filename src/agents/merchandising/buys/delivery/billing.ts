import type { OverdeliveryBilling } from '../../../../modules/storefronts/index.js';
import { cents } from '../../../../sources/money.js';

/** A buy's delivered spend as the buyer is billed for it (get_media_buy_delivery's ext). */
export interface DeliveryBilling {
  /** The storefront's policy for delivery confirmed past the budget (storefronts/billing.ts). */
  overdelivery_billing: OverdeliveryBilling;
  budget: number;
  delivered_spend: number;
  /** What the buyer is billed: the delivered spend, capped at the budget unless `billed`. */
  billable_spend: number;
  /** Spend delivered past the budget (billed or not, by the policy). */
  excess_spend: number;
}

/**
 * How a buy's delivery is billed under the storefront's policy; undefined without a budget
 * (nothing to cap at). A seller may confirm delivery past what was booked (modular delivery
 * reports); whether the buyer pays for it is the storefront's stated policy, said here with
 * the figures so buyer and seller read the same.
 */
export function billingOf(
  policy: OverdeliveryBilling,
  budget: number | null,
  spend: number,
): DeliveryBilling | undefined {
  if (budget === null) return undefined;
  const excess = Math.max(0, cents(spend - budget));
  return {
    overdelivery_billing: policy,
    budget,
    delivered_spend: cents(spend),
    billable_spend: policy === 'billed' ? cents(spend) : cents(Math.min(spend, budget)),
    excess_spend: excess,
  };
}
