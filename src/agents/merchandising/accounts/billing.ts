/**
 * Who a storefront's buyers are invoiced through (`account.supported_billing`): the operator
 * only. Hosted's `agent` billing means Interchange clears the transaction and bills the buyer,
 * which it does not do; sync_accounts refuses another value with BILLING_NOT_SUPPORTED.
 */
export const storefrontBilling = ['operator'] as const;
