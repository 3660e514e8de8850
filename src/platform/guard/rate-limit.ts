/**
 * Fixed-window request counters, per bucket (an API key, or a client IP). The store is the seam
 * where counts live: the app counts in PostgreSQL (src/modules/rate-limits), shared by every
 * instance, so a limit of N a minute is N across the fleet. `createMemoryRateStore` keeps counts
 * in one process: the baseline bench/rate-limit.ts measures the shared store against.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetIn: number;
}

export interface RateStore {
  /** Counts one request in `bucket` and answers whether it is within `limit` this window. */
  hit(bucket: string, limit: number): Promise<RateDecision>;
}

export function createMemoryRateStore(windowMs = 60_000, now: () => number = Date.now): RateStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = now() + windowMs;

  return {
    async hit(bucket, limit) {
      const t = now();
      if (t >= nextSweep) {
        for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
        nextSweep = t + windowMs;
      }
      let w = windows.get(bucket);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(bucket, w);
      }
      w.count += 1;
      return {
        allowed: w.count <= limit,
        limit,
        remaining: Math.max(0, limit - w.count),
        resetIn: Math.max(1, Math.ceil((w.resetAt - t) / 1000)),
      };
    },
  };
}
