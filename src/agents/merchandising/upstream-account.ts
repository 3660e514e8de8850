import type { AccountReference, GetProductsRequest } from '@adcp/sdk/types';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { MerchandisingDeps } from './deps.js';

/** What a buyer said about whose account a task is for: its account reference and brand. */
export interface BuyerAccount {
  account?: AccountReference | undefined;
  brand?: GetProductsRequest['brand'];
}

/**
 * The account a source is asked with, on every task forwarded for a buyer (callSources sets
 * it). Sellers resolve accounts themselves, and many serve no task without one (@adcp/sdk's
 * example seller resolves `{brand, operator}` and no account_id it did not issue), so a source
 * is told, in this order:
 * 0. an `{account_id}` the buyer linked to one of its advertisers on this very source
 *    (advertisers' linked accounts come from the source's own list_accounts): as given;
 * 1. the account the buyer registered at that source (buyer-access credentials'
 *    accountIdentifier): `{account_id}`, the source's own id for it;
 * 2. a `{brand, operator, sandbox?}` reference: forwarded as given, since domains mean the same
 *    to every seller;
 * 3. otherwise (no reference, or an account_id, which names the storefront's own account,
 *    platform.ts, unknown to any source): `{brand, operator}` with the brand the buyer sent on
 *    the request (else the buyer customer's domain) and, as operator, the buyer customer's
 *    domain (the buyer operates on the brand's behalf), else the brand's own (AdCP: a brand
 *    operating directly is its own operator). With no domain at all, no account is sent.
 * The customer is read at most once per returned function (one fan-out).
 */
export function upstreamAccounts(
  deps: MerchandisingDeps,
  customerId: number | null,
): (source: SourceRow, buyer: BuyerAccount) => Promise<AccountReference | undefined> {
  let customerDomain: Promise<string | undefined> | undefined;
  return async (source, buyer) => {
    if (customerId === null) return undefined;
    const ref = buyer.account;
    if (
      ref &&
      'account_id' in ref &&
      (await deps.linkedAccounts?.isLinked(
        customerId,
        source.storefrontId,
        source.sourceId,
        ref.account_id,
      ))
    ) {
      return { account_id: ref.account_id };
    }
    const registered = await deps.buyerAccess.registeredAccountAt(customerId, source.agentId);
    if (registered) return { account_id: registered };
    if (ref && 'brand' in ref) {
      return {
        brand: ref.brand,
        operator: ref.operator,
        ...(ref.sandbox !== undefined && { sandbox: ref.sandbox }),
      };
    }
    customerDomain ??= deps.identity
      .customerDomainOf(customerId)
      .then((domain) => domain ?? undefined);
    const domain = await customerDomain;
    const brand = buyer.brand ?? (domain ? { domain } : undefined);
    return brand ? { brand, operator: domain ?? brand.domain } : undefined;
  };
}
