import type { Db } from '../../platform/db/database.js';
import { createReadCache } from '../../platform/read-cache.js';
import * as store from './store.js';
import type { AccountKey } from './store.js';

export type { AccountKey } from './store.js';
export type AccountBindingsService = ReturnType<typeof createAccountBindingsService>;

/** A binding never changes once made, so its owner may be remembered longer than a read. */
const ownerTtlMs = 10 * 60_000;

/** A domain as bindings compare it: trimmed, lower case, without a trailing dot. */
export function accountDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Binds `{brand, operator}` accounts at seller agents to the buyer customer that first uses
 * them (tables.ts says why). Owners are cached per (agent, brand, operator), bounded; a cached
 * owner is never stale, since a binding is never changed or deleted.
 */
export function createAccountBindingsService(deps: { db: Db }) {
  const owners = createReadCache(ownerTtlMs);
  const sellerAnswers = createReadCache(ownerTtlMs);
  return {
    /**
     * Whether the account is `customerId`'s: true when it was already bound to it or was free
     * and is now bound to it (first use); false when another customer holds it.
     */
    async claim(
      key: { agentId: string; brandDomain: string; operatorDomain: string; sandbox?: boolean },
      customerId: number,
    ): Promise<boolean> {
      const normalized = {
        agentId: key.agentId,
        brandDomain: accountDomain(key.brandDomain),
        operatorDomain: accountDomain(key.operatorDomain),
        sandbox: key.sandbox === true,
      };
      // Longer than a domain can be names no account, and would not fit the row's index.
      if (normalized.brandDomain.length > 253 || normalized.operatorDomain.length > 253) {
        return false;
      }
      const cacheKey = `${normalized.agentId}\n${normalized.brandDomain}\n${normalized.operatorDomain}\n${normalized.sandbox}`;
      const owner = await owners.get(cacheKey, () =>
        store.bindOrFindOwner(deps.db, normalized, customerId),
      );
      return owner === customerId;
    },
    /**
     * Whether the account on the seller's own side (`account <id>` or `brand <domain>`,
     * tables.ts) is `customerId`'s: bound to it now or before (first use), not another's.
     */
    async claimSellerAccount(
      key: { agentId: string; sellerAccount: string; sandbox?: boolean },
      customerId: number,
    ): Promise<boolean> {
      const normalized = { ...key, sandbox: key.sandbox === true };
      // Longer names no account a seller would answer, and would not fit the row's index.
      if (normalized.sellerAccount.length > 600) return false;
      const cacheKey = `seller\n${normalized.agentId}\n${normalized.sellerAccount}\n${normalized.sandbox}`;
      const owner = await owners.get(cacheKey, () =>
        store.bindSellerAccountOrFindOwner(deps.db, normalized, customerId),
      );
      return owner === customerId;
    },
    /**
     * The seller-side account a pair reaches (`load` asks the seller), remembered a while per
     * instance: a seller's answer for a pair changes rarely, and asking on every call would
     * double the seller's traffic. A failed `load` is not remembered.
     */
    sellerAccountOf(pairKey: string, load: () => Promise<string>): Promise<string> {
      return sellerAnswers.get(pairKey, load);
    },
    /** The accounts at `agentId` that are `customerId`'s (its list_accounts through storefronts). */
    ownedAt(agentId: string, customerId: number): Promise<AccountKey[]> {
      return store.ownedAt(deps.db, agentId, customerId);
    },
  };
}
