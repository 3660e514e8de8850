import type { Principal } from '../../platform/principal.js';

/**
 * A short-lived in-process cache of resolved keys, so a busy client does not cost a database
 * round trip per request. Writes on this instance clear it at once; other instances see a
 * revocation or switch within `ttlMs`.
 */
export interface KeyCache {
  get(hash: string): Principal | null | undefined;
  set(hash: string, principal: Principal | null): void;
  clear(): void;
}

export function createKeyCache(ttlMs: number, maxEntries = 10_000, now = Date.now): KeyCache {
  const entries = new Map<string, { principal: Principal | null; expiresAt: number }>();
  return {
    get(hash) {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(hash);
        return undefined;
      }
      return entry.principal;
    },
    set(hash, principal) {
      if (ttlMs <= 0) return;
      if (entries.size >= maxEntries) entries.clear();
      entries.set(hash, { principal, expiresAt: now() + ttlMs });
    },
    clear() {
      entries.clear();
    },
  };
}
