/**
 * Housekeeping piggy-backed on ordinary requests instead of a timer (which would keep a process,
 * and every test, alive): the returned function runs `sweep` when at least `everyMs` have passed
 * on the caller's clock since it last ran in this process (or when `force`d, for a rarer request
 * that always sweeps), and otherwise does nothing. A failed sweep is not the request's failure;
 * the next one tries again. Callers may await it (the request then waits for one bounded delete
 * every `everyMs`) or not.
 */
export function throttledSweep(
  everyMs: number,
  sweep: (at: Date) => Promise<unknown>,
): (at: Date, options?: { force?: boolean }) => Promise<void> {
  let last = Number.NEGATIVE_INFINITY;
  return async (at, options) => {
    if (!options?.force && at.getTime() - last < everyMs) return;
    last = at.getTime();
    await sweep(at).catch(() => undefined);
  };
}
