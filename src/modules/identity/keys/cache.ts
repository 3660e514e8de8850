import { registerClearable } from '../../../platform/cache-clearing.js';
import type { Principal } from '../../../platform/principal.js';

/**
 * A short-lived in-process cache of resolved keys, so a busy client does not cost a database
 * round trip per request. Writes clear it at once here and, by a PostgreSQL notification
 * (src/platform/cache-clearing.ts), within milliseconds on every other instance; `ttlMs` bounds
 * a revocation's reach when a notification is lost.
 */
export interface KeyCache {
  get(hash: string): Principal | null | undefined;
  set(hash: string, principal: Principal | null): void;
  clear(): void;
}

export function createKeyCache(ttlMs: number, maxEntries = 10_000, now = Date.now): KeyCache {
  const entries = new Map<string, { principal: Principal | null; expiresAt: number }>();
  const clear = registerClearable(() => entries.clear());
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
    clear,
  };
}
