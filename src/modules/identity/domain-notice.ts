/**
 * What a buyer without a customer domain is told (issue 32, item 7). Storefront agents name the
 * buyer's domain as the operator of its account at their sources; without one, most sources
 * are asked with no account and answer nothing, so discovery is empty for a reason the buyer
 * cannot see in a `success` answer. Discovery, execute and the current account say so on top.
 */
export const customerDomainMissing = {
  code: 'CUSTOMER_DOMAIN_MISSING',
  message:
    'Your organisation has no domain: storefronts name it as the operator of your account at ' +
    'their sources, so most sources offer you no products and take no buys until it is set.',
  fix: 'Set it with PUT /api/v2/accounts/current {"customerDomain":"example.com"} (ADMIN).',
} as const;

/** The notice as one line, for answers whose warnings are strings. */
export const customerDomainMissingText = `${customerDomainMissing.message} ${customerDomainMissing.fix}`;
