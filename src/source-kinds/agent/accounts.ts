import type { AccountReference } from '@adcp/sdk/types';
import {
  type AccountBindingsService,
  accountDomain,
} from '../../modules/account-bindings/index.js';
import type { BuyerAccessService } from '../../modules/buyer-access/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type {
  BuyerAccount,
  SourceError,
  SourceRow,
} from '../../modules/inventory-sources/index.js';
import { accountRefused } from '../../sources/errors.js';

/** What deciding a buyer's account at a seller reads: its domain, bindings, ids it linked or registered. */
export interface AgentAccountsDeps {
  /** Which buyer a `{brand, operator}` account at a seller agent belongs to (first use wins). */
  accountBindings: Pick<AccountBindingsService, 'claim'> &
    Partial<Pick<AccountBindingsService, 'ownedAt'>>;
  identity: Pick<IdentityService, 'customerDomainOf'>;
  buyerAccess: Pick<BuyerAccessService, 'registeredAccountAt' | 'authenticatedAt'>;
  /**
   * Whether a buyer linked this source account to one of its advertisers (advertisers module):
   * such an account_id is the source's own and is forwarded as given.
   */
  linkedAccounts?: {
    isLinked(
      customerId: number,
      storefrontId: number,
      sourceId: string,
      accountId: string,
    ): Promise<boolean>;
  };
}

/** A `{brand, operator}` account as the storefront names it to a source. */
type Pair = { brand: { domain: string }; operator: string; sandbox?: boolean };

/** The account a source is asked with (none: no account), or why it is not asked at all. */
export type UpstreamAccount =
  { ok: true; account: AccountReference | undefined } | { ok: false; error: SourceError };

/**
 * The account a source is asked with, on every task forwarded for a buyer (source.ts sets it). Sellers resolve accounts themselves, and many serve no task without one (@adcp/sdk's
 * example seller resolves `{brand, operator}` and no account_id it did not issue), so a source
 * is told, in this order:
 * 0. an `{account_id}` the buyer linked to one of its advertisers on this very source
 *    (advertisers' linked accounts come from the source's own list_accounts);
 * 1. the account the buyer registered at that source (buyer-access credentials'
 *    accountIdentifier): `{account_id}`, the source's own id for it;
 * 2. a `{brand, operator, sandbox?}` reference, when it is the buyer's own (below);
 * 3. otherwise (no reference, or an account_id, which names the storefront's own account,
 *    platform.ts, unknown to any source): `{brand, operator}` with the brand the buyer sent on
 *    the request (else the buyer customer's domain) and the buyer customer's domain as
 *    operator (the buyer operates on the brand's behalf). With neither, no account is sent.
 *
 * Most sources are called with the storefront operator's credential, so the seller cannot tell
 * buyers apart and whatever account the storefront names is reached for anyone who names it.
 * At those sources:
 * - a registered account id (1) is not used: registering takes any id, and nothing ties an id
 *   to the `{brand, operator}` pair the same account answers to, so it would reach an account
 *   bound to another buyer by its other name; a linked one (0) only when the buyer's
 *   credential there carries its own secret, since the seller then listed that account to
 *   this buyer (linking checks the id against the source's list_accounts for that credential);
 * - in 2 and 3 a buyer may name any brand (agencies buy for brands) but only its own domain as
 *   operator, and only a pair bound to it (account-bindings: the first buyer to use a pair at a
 *   seller agent holds it; customer domains are claimed, not verified, so the domain alone
 *   proves nothing). A buyer without a domain reaches none of them. A sandbox pair
 *   (`sandbox: true`, another account than the live one) may name any operator, since it
 *   moves no money, but is bound all the same.
 * Sources called with the buyer's own credential see who calls: they get every case as named,
 * and a pair the buyer names as its own operator is still bound to it on first use, so that a
 * storefront reaching the same seller with the operator's credential finds it taken.
 * Refused, the source is not called (the buyer's error is its answer).
 *
 * With `placed`, the account is for a buy this buyer already placed at the source (follow-ups
 * on its own recorded buys) and is sent unchecked, since the buy is there under it whatever
 * the rules say now: the account recorded on the buy's leg (`placedAs`), or for a leg placed
 * before legs recorded it, the account as the rules then computed it (ids first, then the
 * named pair, as is).
 * The customer is read at most once, and a pair claimed at most once per agent, per returned
 * function (one fan-out).
 */
export function upstreamAccounts(
  deps: AgentAccountsDeps,
  customerId: number | null,
  options: { placed?: boolean } = {},
): (source: SourceRow, buyer: BuyerAccount) => Promise<UpstreamAccount> {
  let customerDomain: Promise<string | undefined> | undefined;
  const claims = new Map<string, Promise<boolean>>();
  const domainOfCaller = (id: number) =>
    (customerDomain ??= deps.identity.customerDomainOf(id).then((domain) => domain ?? undefined));
  const claim = (source: SourceRow, pair: Pair, id: number) => {
    const sandbox = pair.sandbox === true;
    const key = `${source.agentId}\n${pair.brand.domain}\n${pair.operator}\n${sandbox}`;
    let claimed = claims.get(key);
    if (!claimed) {
      claimed = deps.accountBindings.claim(
        {
          agentId: source.agentId,
          brandDomain: pair.brand.domain,
          operatorDomain: pair.operator,
          sandbox,
        },
        id,
      );
      claims.set(key, claimed);
    }
    return claimed;
  };
  return async (source, buyer) => {
    if (customerId === null) return { ok: true, account: undefined };
    if (options.placed && buyer.placedAs) return { ok: true, account: buyer.placedAs };
    const ref = buyer.account;
    // Where the seller sees the buyer's own credential (or for the buyer's own buys), the
    // account ids it linked or registered; behind the shared credential only a linked one,
    // and only when the buyer's credential there is its own secret: the seller then listed
    // that account to this buyer (a registered id is the buyer's word alone).
    const trusted = source.requiresCredentials || options.placed === true;
    if (
      ref &&
      'account_id' in ref &&
      (await deps.linkedAccounts?.isLinked(
        customerId,
        source.storefrontId,
        source.sourceId,
        ref.account_id,
      )) &&
      (trusted || (await deps.buyerAccess.authenticatedAt(customerId, source.agentId)))
    ) {
      return { ok: true, account: { account_id: ref.account_id } };
    }
    const registered = trusted
      ? await deps.buyerAccess.registeredAccountAt(customerId, source.agentId)
      : undefined;
    if (registered) return { ok: true, account: { account_id: registered } };
    const domain = await domainOfCaller(customerId);
    const pair: Pair | undefined =
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
    if (options.placed) return { ok: true, account };
    const operatorIsCaller =
      domain !== undefined && accountDomain(pair.operator) === accountDomain(domain);
    if (source.requiresCredentials) {
      // Recorded, never refused here: the seller tells this buyer apart by its credential.
      if (operatorIsCaller) await claim(source, pair, customerId);
      return { ok: true, account };
    }
    // A sandbox account moves no money and serves no ad, so a buyer may name any operator for
    // one (conformance runners use their own test domains); it is still one buyer's.
    if (!pair.sandbox) {
      if (!domain) return { ok: false, error: accountRefused(source, 'no_domain') };
      if (!operatorIsCaller) {
        return { ok: false, error: accountRefused(source, 'operator_not_yours', domain) };
      }
    }
    const ours = await claim(source, pair, customerId);
    return ours
      ? { ok: true, account }
      : { ok: false, error: accountRefused(source, 'account_not_found', domain) };
  };
}
