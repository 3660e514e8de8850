import { createHash } from 'node:crypto';
import type { ProviderAccount } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { GaqlRow, GoogleAdsApi } from './api.js';

/*
 * The Google Ads accounts a grant can buy in, after consent ("List accessible accounts",
 * https://developers.google.com/google-ads/api/docs/account-management/listing-accounts, and
 * "Get account hierarchy", …/account-management/get-account-hierarchy): the customers the user
 * reaches directly (GET customers:listAccessibleCustomers), each read with GAQL from the
 * `customer` resource; a manager account cannot buy itself, so its client accounts one level
 * down are read from `customer_client` and reached through it (their calls carry the manager's
 * id as `login-customer-id`, kept in the connection's settings as `loginCustomerIds`).
 */

export interface Discovered {
  accounts: ProviderAccount[];
  /** Account id → the manager account id its calls go through. */
  loginCustomerIds: Record<string, string>;
}

/** Google's CustomerStatus in AdCP's account words. */
export function accountStatus(status: unknown): ProviderAccount['status'] {
  switch (status) {
    case 'ENABLED':
      return 'active';
    case 'CANCELED':
    case 'CLOSED':
      return 'closed';
    default:
      return 'suspended';
  }
}

const maxDirect = 50;

const customerQuery =
  'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.status, customer.manager FROM customer';

const clientQuery =
  'SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, customer_client.status, customer_client.manager FROM customer_client WHERE customer_client.level = 1 AND customer_client.manager = FALSE';

function accountOf(row: Record<string, unknown> | undefined): ProviderAccount | null {
  const id = row?.id === undefined ? '' : String(row.id);
  if (!/^\d+$/.test(id)) return null;
  return {
    id,
    name:
      typeof row?.descriptiveName === 'string' && row.descriptiveName ? row.descriptiveName : id,
    currency: typeof row?.currencyCode === 'string' ? row.currencyCode : null,
    status: accountStatus(row?.status),
  };
}

async function discover(api: GoogleAdsApi, token: string): Promise<Discovered> {
  const direct = (await api.listAccessibleCustomers(token)).slice(0, maxDirect);
  const found = new Map<string, ProviderAccount>();
  const loginCustomerIds: Record<string, string> = {};
  for (const id of direct) {
    let customer: GaqlRow[string];
    try {
      const [row]: GaqlRow[] = await api.search({ token, customerId: id }, customerQuery, 1);
      customer = row?.customer;
    } catch (error) {
      // Accessible but not enabled (canceled, never finished): listed, not buyable.
      if (!(error instanceof ProviderError) || error.code !== 'ACCOUNT_SUSPENDED') throw error;
      found.set(id, { id, name: id, currency: null, status: 'closed' });
      continue;
    }
    if (customer?.manager !== true) {
      const account = accountOf(customer);
      if (account) found.set(account.id, account);
      continue;
    }
    const clients = await api.search(
      { token, customerId: id, loginCustomerId: id },
      clientQuery,
      500,
    );
    for (const client of clients) {
      const account = accountOf(client.customerClient);
      if (!account || found.has(account.id)) continue;
      found.set(account.id, account);
      loginCustomerIds[account.id] = id;
    }
  }
  return { accounts: [...found.values()], loginCustomerIds };
}

/**
 * Discovery shared by the two calls consent makes with one token (the accounts, and the
 * settings naming their managers), so the provider is asked once. Keyed by the token's hash:
 * one operator's answer is never another's.
 */
export function createDiscovery(api: GoogleAdsApi) {
  const pending = new Map<string, Promise<Discovered>>();
  return (token: string): Promise<Discovered> => {
    const key = createHash('sha256').update(token).digest('hex');
    let found = pending.get(key);
    if (!found) {
      found = discover(api, token);
      pending.set(key, found);
      const forget = () => setTimeout(() => pending.delete(key), 5_000).unref();
      found.then(forget, forget);
    }
    return found;
  };
}
