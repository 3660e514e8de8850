import type { AdcpError } from '../schemas/envelope.js';

/**
 * The seller-wide billing gate of sync_accounts (enums/error-code.json BILLING_NOT_SUPPORTED,
 * error-details/billing-not-supported.json): a `billing` value the agent's
 * `account.supported_billing` does not list is refused with `scope: "capability"` and the list
 * echoed. The caller is a buyer the storefront knows by its API key, so the scope may be named.
 */
export function billingRefusal(
  billing: string | undefined,
  supported: readonly string[],
): AdcpError | undefined {
  if (billing === undefined || supported.includes(billing)) return undefined;
  return {
    code: 'BILLING_NOT_SUPPORTED',
    message: `This agent bills ${supported.join(', ')} only, not ${billing.slice(0, 64)}: resubmit with one of those, or omit billing`,
    field: 'billing',
    recovery: 'correctable',
    details: { scope: 'capability', supported_billing: [...supported] },
  };
}
