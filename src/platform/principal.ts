/**
 * Who is calling, as resolved from the API key. Identity builds it; transports read it; services
 * receive the fields they need as plain arguments.
 */
export type CustomerRole = 'BUYER' | 'SELLER';
export type CustomerType = 'STANDALONE' | 'PARENT' | 'CHILD';
export type MembershipRole = 'MEMBER' | 'ADMIN' | 'SUPER_ADMIN';

export interface AdminPrincipal {
  kind: 'admin';
  keyId: string;
}

/** Set for a sponsored buyer: the one storefront it may see and buy from, and its standing. */
export interface Sponsorship {
  storefrontId: number;
  sellerOrganizationId: number;
  status: 'pending' | 'active' | 'suspended';
}

export interface CustomerPrincipal {
  kind: 'customer';
  keyId: string;
  userId: number;
  customerId: number;
  customerRole: CustomerRole;
  customerType: CustomerType;
  /** The root of the customer's organisation: its parent, or itself. */
  organizationId: number;
  membershipRole: MembershipRole;
  /** The customer (or, for a child, its parent organisation) accepted the current terms. */
  tosAccepted: boolean;
  sponsorship: Sponsorship | null;
  /**
   * Called with a sandbox key: on a storefront every account it syncs or names is a sandbox
   * account (AdCP's sandbox principal; merchandising/accounts/sandbox-credential.ts).
   */
  sandbox?: boolean;
}

export type Principal = AdminPrincipal | CustomerPrincipal;

export function isAdminRole(role: MembershipRole): boolean {
  return role === 'ADMIN' || role === 'SUPER_ADMIN';
}
