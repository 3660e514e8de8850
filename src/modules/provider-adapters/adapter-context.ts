/*
 * What an adapter is given on every call: the connection's token and the ad account the operator
 * chose (apart from contract.ts, so the catalog contract can name it without a cycle).
 */

/** An ad account the grant can buy in, as the provider lists it. */
export interface ProviderAccount {
  id: string;
  name: string;
  currency: string | null;
  /** The provider's status, normalised: active, or why it cannot buy. */
  status: 'active' | 'pending_approval' | 'payment_required' | 'suspended' | 'closed';
}

/** What the operator chose after consent, and the provider-specific settings of the source. */
export interface AdapterContext {
  accessToken: string;
  account: ProviderAccount;
  settings: Record<string, unknown>;
}
