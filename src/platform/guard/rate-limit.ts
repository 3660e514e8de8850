/**
 * Fixed-window request counters, per API key or per client IP. Counters live in this process:
 * with N instances behind a balancer a client gets up to N times the limit, which is what most
 * gateways do too; a shared store can replace this without touching callers.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetIn: number;
}

export interface RateLimiter {
  hit(bucket: string, limit: number): RateDecision;
}

export function createRateLimiter(windowMs = 60_000, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = now() + windowMs;

  return {
    hit(bucket, limit) {
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

export interface RequestLimits {
  limiter: RateLimiter;
  /** Requests per minute per API key. */
  perKeyLimit: number;
  /** Requests per minute per client IP, for requests without a valid key. */
  perIpLimit: number;
}

/**
 * Counts one request in its bucket: the caller's API key when it authenticated, else its IP.
 * Every surface (REST, storefront agents, MCP) counts through here, so a key has one budget.
 */
export function countRequest(
  limits: RequestLimits,
  principal: { keyId: string } | undefined,
  ip: string,
): RateDecision {
  return principal
    ? limits.limiter.hit(`key:${principal.keyId}`, limits.perKeyLimit)
    : limits.limiter.hit(`ip:${ip}`, limits.perIpLimit);
}
