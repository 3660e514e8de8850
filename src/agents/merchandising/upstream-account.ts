import type { AccountReference, GetProductsRequest } from '@adcp/sdk/types';
import { accountDomain, type NamedAccount } from '../../modules/account-bindings/index.js';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { MerchandisingDeps } from './deps.js';
import { accountRefused } from './source-errors.js';
import type { AdcpErrorObject } from './types.js';

/** What a buyer said about whose account a task is for: its account reference and brand. */
export interface BuyerAccount {
  account?: AccountReference | undefined;
  brand?: GetProductsRequest['brand'];
}

/** The account a source is asked with (none: no account), or why it is not asked at all. */
export type UpstreamAccount =
  { ok: true; account: AccountReference | undefined } | { ok: false; error: AdcpErrorObject };

/**
 * The account a source is asked with, on every task forwarded for a buyer (callSources sets
 * it). Sellers resolve accounts themselves, and many serve no task without one (@adcp/sdk's
 * example seller resolves `{brand, operator}` and no account_id it did not issue), so a source
 * is told, in this order:
 * 0. an `{account_id}` the buyer linked to one of its advertisers on this very source
 *    (advertisers' linked accounts come from the source's own list_accounts);
 * 1. the account the buyer registered at that source (buyer-access credentials'
 *    accountIdentifier): `{account_id}`, the source's own id for it;
 * 2. a `{brand, operator, sandbox?}` reference: as given, when it is the buyer's own (below);
 * 3. otherwise (no reference, or an account_id, which names the storefront's own account,
 *    platform.ts, unknown to any source): `{brand, operator}` with the brand the buyer sent on
 *    the request (else the buyer customer's domain) and the buyer customer's domain as
 *    operator (the buyer operates on the brand's behalf). With neither, no account is sent.
 *
 * Most sources are called with the storefront operator's credential, so the seller cannot tell
 * buyers apart and a `{brand, operator}` pair would reach the same account for anyone who
 * names it. In 2 and 3 a buyer may therefore name any brand (agencies buy for brands) but only
 * its own domain as operator, and only a pair bound to it (account-bindings: the first buyer
 * to use a pair at a seller agent holds it; customer domains are claimed, not verified, so the
 * domain alone proves nothing). An account id in 0 and 1 is bound the same way: registering
 * one takes any id at a source that needs no buyer credential, and linking checks it against
 * what the source lists, which for an open source is anyone's. A buyer without a domain
 * reaches such sources only through 0 and 1. Refused, the source is not called and the buyer
 * is told to register its account there. Sources called with the buyer's own credential see
 * who calls, and get every case unchecked. The customer is read at most once, and an account
 * claimed at most once per agent, per returned function (one fan-out).
 */
export function upstreamAccounts(
  deps: MerchandisingDeps,
  customerId: number | null,
): (source: SourceRow, buyer: BuyerAccount) => Promise<UpstreamAccount> {
  let customerDomain: Promise<string | undefined> | undefined;
  const claims = new Map<string, Promise<boolean>>();
  const domainOfCaller = (id: number) =>
    (customerDomain ??= deps.identity.customerDomainOf(id).then((domain) => domain ?? undefined));
  const claim = (account: NamedAccount, id: number) => {
    const key = JSON.stringify(account);
    let claimed = claims.get(key);
    if (!claimed) {
      claimed = deps.accountBindings.claim(account, id);
      claims.set(key, claimed);
    }
    return claimed;
  };
  /**
   * A seller's account id the buyer linked or registered: as given where the source sees the
   * buyer's own credential, else only when bound to this buyer (linking and registering check
   * nothing the operator's credential would: an open source lists and takes any id).
   */
  const byId = async (source: SourceRow, accountId: string, id: number) => {
    if (source.requiresCredentials)
      return { ok: true as const, account: { account_id: accountId } };
    return (await claim({ agentId: source.agentId, accountId }, id))
      ? { ok: true as const, account: { account_id: accountId } }
      : { ok: false as const, error: accountRefused(source, 'account_not_found') };
  };
  return async (source, buyer) => {
    if (customerId === null) return { ok: true, account: undefined };
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
      return byId(source, ref.account_id, customerId);
    }
    const registered = await deps.buyerAccess.registeredAccountAt(customerId, source.agentId);
    if (registered) return byId(source, registered, customerId);
    const domain = await domainOfCaller(customerId);
    const pair: { brand: { domain: string }; operator: string; sandbox?: boolean } | undefined =
      ref && 'brand' in ref
        ? {
            brand: ref.brand,
            // AdCP: a brand operating directly is its own operator.
            operator: ref.operator ?? ref.brand.domain,
            ...(ref.sandbox !== undefined && { sandbox: ref.sandbox }),
          }
        : buyer.brand
          ? { brand: buyer.brand, operator: domain ?? buyer.brand.domain }
          : domain
            ? { brand: { domain }, operator: domain }
            : undefined;
    if (!pair) return { ok: true, account: undefined };
    const account: AccountReference = {
      brand: pair.brand,
      operator: pair.operator,
      ...(pair.sandbox !== undefined && { sandbox: pair.sandbox }),
    };
    if (source.requiresCredentials) return { ok: true, account };
    if (!domain) return { ok: false, error: accountRefused(source, 'no_domain') };
    if (accountDomain(pair.operator) !== accountDomain(domain)) {
      return { ok: false, error: accountRefused(source, 'operator_not_yours', domain) };
    }
    const ours = await claim(
      { agentId: source.agentId, brandDomain: pair.brand.domain, operatorDomain: pair.operator },
      customerId,
    );
    return ours
      ? { ok: true, account }
      : { ok: false, error: accountRefused(source, 'account_not_found') };
  };
}
