/**
 * Every in-process cache a write must clear (the read caches of src/platform/read-cache.ts, the
 * API key cache), in one place, so a write on one instance can clear them on every instance:
 * a cache registers here and gets back the `clear` its writes call, which clears it and tells
 * the announcers (src/platform/db/cache-notifications.ts: PostgreSQL NOTIFY to the fleet);
 * what another instance announces clears every cache registered in this process
 * (`clearEveryCache`). Coarse on purpose: writes that clear are configuration changes, rare
 * beside the reads the caches serve, and a cleared cache only costs a few reads.
 */
const caches = new Set<WeakRef<{ clear: () => void }>>();
const announcers = new Set<() => void>();

/** Registers a cache's own clearing; answers the clear a write calls (here and everywhere). */
export function registerClearable(clearHere: () => void): () => void {
  const holder = { clear: clearHere };
  caches.add(new WeakRef(holder));
  return () => {
    holder.clear();
    for (const announce of announcers) announce();
  };
}

/** Clears every registered cache of this process (another instance wrote). */
export function clearEveryCache(): void {
  for (const ref of caches) {
    const holder = ref.deref();
    if (holder) holder.clear();
    else caches.delete(ref);
  }
}

/** Adds a function told of every write here; answers its removal. */
export function addCacheAnnouncer(announce: () => void): () => void {
  announcers.add(announce);
  return () => void announcers.delete(announce);
}
