import { addCacheAnnouncer, registerClearable } from './cache-clearing.js';

/**
 * A short-lived in-process cache of database reads on a hot path (a storefront agent's
 * get_products reads its sources, buyer instructions, product rules and the buyer's
 * credentials on every call). Concurrent misses for one key share one read; a failed read is
 * not kept.
 *
 * Correctness across instances: every write through the module's store clears the cache at
 * once (`writesClear`) here, and through cache-clearing.ts on every other instance (a
 * PostgreSQL notification, milliseconds); entries live `ttlMs` (2 s by default, as API keys),
 * the bound when a notification is lost (a dropped listener) or a read races a write's
 * uncommitted transaction.
 *
 * Keys must name the owner of what they hold (a storefront id, a customer id): the cache is
 * shared by every caller of the module.
 */
export interface ReadCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

export const defaultReadCacheTtlMs = 2_000;

export function createReadCache(
  ttlMs = defaultReadCacheTtlMs,
  maxEntries = 10_000,
  now = Date.now,
  options: {
    /**
     * Also cleared by every write in this process that clears a cache (any module's
     * writesClear store), not only its own: for what depends on other modules' records (an
     * agent's capabilities on its registration, its storefront's sources). Other instances
     * clear every cache on a write anyway.
     */
    clearedByEveryWrite?: boolean;
  } = {},
): ReadCache {
  const entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();
  // Bumped by clear(): a read that started before a write does not repopulate after it.
  let generation = 0;
  const clearHere = () => {
    generation++;
    entries.clear();
  };
  const clear = registerClearable(clearHere);
  if (options.clearedByEveryWrite) addCacheAnnouncer(clearHere);
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.value as Promise<T>;
      if (ttlMs <= 0) return load();
      if (entries.size >= maxEntries) entries.clear();
      const started = generation;
      const value = load();
      entries.set(key, { value, expiresAt: now() + ttlMs });
      value.catch(() => {
        if (started === generation && entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    clear,
  };
}

/**
 * A module's store whose every function but the named reads clears `cache` once it has run
 * (and when it fails, since a failed statement may still have been part of a write), so a
 * new write function cannot forget to invalidate.
 */
export function writesClear<S extends object>(
  store: S,
  reads: ReadonlyArray<keyof S>,
  cache: ReadCache,
): S {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn !== 'function' || reads.includes(name as keyof S)) {
      wrapped[name] = fn;
      continue;
    }
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        cache.clear();
      }
    };
  }
  return wrapped as S;
}
