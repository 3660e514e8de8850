import type { CustomerPrincipal, Principal } from '../../../platform/principal.js';
import type * as store from '../store.js';
import { currentTerms } from '../terms.js';

/** The principal a key (or background work) acts as, from its stored row. */
export function principalFromKey(
  row: NonNullable<Awaited<ReturnType<typeof store.findKeyForAuth>>>,
): Principal | null {
  if (row.revokedAt) return null;
  if (row.kind === 'platform_admin') return { kind: 'admin', keyId: row.id };
  if (
    row.userId === null ||
    row.customerId === null ||
    !row.customerActive ||
    !row.membershipRole ||
    !row.customerRole ||
    !row.customerType
  ) {
    return null;
  }
  return customerPrincipalOf(row.id, {
    ...row,
    userId: row.userId,
    customerId: row.customerId,
    customerRole: row.customerRole,
    customerType: row.customerType,
    membershipRole: row.membershipRole,
  });
}

/** The principal of a customer's member as the key (or background work) acts for it. */
export function customerPrincipalOf(
  keyId: string,
  row: {
    userId: number;
    customerId: number;
    customerRole: CustomerPrincipal['customerRole'];
    customerType: CustomerPrincipal['customerType'];
    membershipRole: CustomerPrincipal['membershipRole'];
    parentId: number | null;
    tosVersion: string | null;
    parentTosVersion: string | null;
    sponsoredStorefrontId: number | null;
    sponsorOrganizationId: number | null;
    sponsorshipStatus: 'pending' | 'active' | 'suspended' | null;
    /** A sandbox key (api_keys.sandbox); background work acts as no key, so never sandbox. */
    sandbox?: boolean;
  },
): CustomerPrincipal {
  const accepted =
    row.tosVersion === currentTerms.version ||
    (row.customerType === 'CHILD' && row.parentTosVersion === currentTerms.version);
  return {
    kind: 'customer',
    keyId,
    userId: row.userId,
    customerId: row.customerId,
    customerRole: row.customerRole,
    customerType: row.customerType,
    organizationId: row.parentId ?? row.customerId,
    membershipRole: row.membershipRole,
    tosAccepted: accepted,
    ...(row.sandbox === true && { sandbox: true }),
    sponsorship:
      row.sponsoredStorefrontId !== null &&
      row.sponsorOrganizationId !== null &&
      row.sponsorshipStatus !== null
        ? {
            storefrontId: row.sponsoredStorefrontId,
            sellerOrganizationId: row.sponsorOrganizationId,
            status: row.sponsorshipStatus,
          }
        : null,
  };
}
