import type { Db } from '../../platform/db/database.js';
import { createReadCache } from '../../platform/read-cache.js';
import * as store from './store.js';

export type { AccountKey } from './store.js';
export type AccountBindingsService = ReturnType<typeof createAccountBindingsService>;

/** A binding never changes once made, so its owner may be remembered longer than a read. */
const ownerTtlMs = 10 * 60_000;

/** A domain as bindings compare it: trimmed, lower case, without a trailing dot. */
export function accountDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** An account at a seller agent as a buyer named it: a `{brand, operator}` pair or its id. */
export type NamedAccount =
  | { agentId: string; brandDomain: string; operatorDomain: string }
  | { agentId: string; accountId: string };

/**
 * Binds accounts at seller agents to the buyer customer that first uses them (tables.ts says
 * why). Owners are cached per account, bounded; a cached owner is never stale, since a binding
 * is never changed or deleted.
 */
export function createAccountBindingsService(deps: { db: Db }) {
  const owners = createReadCache(ownerTtlMs);
  return {
    /**
     * Whether the account is `customerId`'s: true when it was already bound to it or was free
     * and is now bound to it (first use); false when another customer holds it.
     */
    async claim(key: NamedAccount, customerId: number): Promise<boolean> {
      // Domains compare as domains; a seller's account id is its own, compared exactly.
      const normalized: store.AccountKey =
        'accountId' in key
          ? { agentId: key.agentId, brandDomain: '', operatorDomain: '', accountId: key.accountId }
          : {
              agentId: key.agentId,
              brandDomain: accountDomain(key.brandDomain),
              operatorDomain: accountDomain(key.operatorDomain),
              accountId: '',
            };
      // A name that is empty names no account anyone could hold (and no row may be empty).
      if (normalized.accountId === '' && (!normalized.brandDomain || !normalized.operatorDomain)) {
        return false;
      }
      const cacheKey = [
        normalized.agentId,
        normalized.brandDomain,
        normalized.operatorDomain,
        normalized.accountId,
      ].join('\n');
      const owner = await owners.get(cacheKey, () =>
        store.bindOrFindOwner(deps.db, normalized, customerId),
      );
      return owner === customerId;
    },
  };
}
