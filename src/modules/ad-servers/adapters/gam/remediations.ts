import type { AdServerErrorCode } from '../port.js';

/**
 * Whose service account an Ad Manager adapter acts as: the publisher's own (its JSON key sealed
 * with the source) or the instance's (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE).
 */
export type GamKeyOwner = 'publisher' | 'instance';

/**
 * What the publisher does about each failure, naming the account to add in Ad Manager: a network
 * that has not added it answers PERMISSION_DENIED (or, for an account in no network at all,
 * NO_NETWORKS_TO_ACCESS, which reads as NETWORK_NOT_FOUND).
 */
export function gamRemediations(
  email: string,
  owner: GamKeyOwner,
): Partial<Record<AdServerErrorCode, string>> {
  const grant = `add ${email} as an API user with a role that can read inventory and traffic orders in Admin > Access & authorization`;
  return {
    ADAPTER_PERMISSION_DENIED: `In Ad Manager, ${grant}, and turn on API access in Admin > Global settings; a new grant can take a few minutes to apply.`,
    ADAPTER_NETWORK_NOT_FOUND: `Check the network code (Ad Manager: Admin > Global settings > Network code), and in that network ${grant}.`,
    ADAPTER_INVALID_CREDENTIALS:
      owner === 'instance'
        ? `Google refused this instance's service account (${email}): its operator must configure a current JSON key (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE).`
        : `Google refused the key of ${email}: upload a current JSON key for the account.`,
  };
}
