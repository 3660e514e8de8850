import type { AdapterContext, ProviderAccount } from '../adapter-context.js';

/**
 * The ad accounts a provider listed, those with an id: named by their name (else their id), in
 * their currency where they state one, with the provider's status normalised by `statusOf`.
 */
export function listedAccounts<A extends { id?: unknown; name?: unknown; currency?: unknown }>(
  found: readonly A[],
  statusOf: (account: A) => ProviderAccount['status'],
): ProviderAccount[] {
  return found.flatMap((a) =>
    typeof a.id === 'string' && a.id
      ? [
          {
            id: a.id,
            name: typeof a.name === 'string' ? a.name : a.id,
            currency: typeof a.currency === 'string' ? a.currency : null,
            status: statusOf(a),
          },
        ]
      : [],
  );
}

/**
 * The currency an account's products are priced in: what the provider says of the account now,
 * else what it said at connection, else USD.
 */
export function pricingCurrency(said: unknown, ctx: AdapterContext): string {
  return typeof said === 'string' ? said : (ctx.account.currency ?? 'USD');
}
