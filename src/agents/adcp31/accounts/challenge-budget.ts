/** Challenges one sync_accounts call (or one run of the proving job) sends at most. */
export const challengesPerCall = 16;
/** Challenges one call sends to one URL origin at most. */
export const challengesPerOrigin = 4;
/** How long one call spends challenging at most; what is left then is held pending. */
export const challengeDeadlineMs = 15_000;
/** How long a receiver has to answer one challenge. */
export const challengeTimeoutMs = 5_000;

/** Why a challenge was not sent now (the subscriber is held pending and proved later). */
export type Deferral = string;

/**
 * What one sync_accounts call (or one proving run) may still send of webhook.challenge POSTs:
 * at most `challengesPerCall`, `challengesPerOrigin` to one origin, none to an origin that
 * already failed one in this call, none after `challengeDeadlineMs`, and each only when the
 * buyer's budget per minute (`admitBuyer`) still has one. `take` answers the timeout the
 * challenge gets (never past the deadline), or why it must wait.
 */
export function challengeBudget(admitBuyer: () => boolean, now: () => number = Date.now) {
  const deadline = now() + challengeDeadlineMs;
  let sent = 0;
  const perOrigin = new Map<string, number>();
  const failedOrigins = new Set<string>();
  const originOf = (url: string) => new URL(url).origin;
  return {
    take(url: string): { timeoutMs: number } | { deferred: Deferral } {
      const origin = originOf(url);
      const left = deadline - now();
      if (left < 1_000) return { deferred: 'this call spent its time for challenges' };
      if (sent >= challengesPerCall) {
        return { deferred: `this call sent its ${challengesPerCall} challenges` };
      }
      if (failedOrigins.has(origin)) {
        return { deferred: `another challenge to ${origin} failed in this call` };
      }
      if ((perOrigin.get(origin) ?? 0) >= challengesPerOrigin) {
        return { deferred: `this call sent its ${challengesPerOrigin} challenges to ${origin}` };
      }
      if (!admitBuyer()) return { deferred: 'your challenges for this minute are spent' };
      sent += 1;
      perOrigin.set(origin, (perOrigin.get(origin) ?? 0) + 1);
      return { timeoutMs: Math.min(challengeTimeoutMs, left) };
    },
    /** A challenge to `url` failed: its origin gets no other in this call. */
    failed(url: string) {
      failedOrigins.add(originOf(url));
    },
  };
}

export type ChallengeBudget = ReturnType<typeof challengeBudget>;

/**
 * A budget per key (a buyer on a storefront) of `limit` admissions per sliding minute, on this
 * instance. Keys with nothing in the last minute are dropped as they are met.
 */
export function perMinuteBudget(limit: number, now: () => number = Date.now) {
  const windows = new Map<string, number[]>();
  return (key: string): boolean => {
    const since = now() - 60_000;
    const recent = (windows.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= limit) {
      windows.set(key, recent);
      return false;
    }
    recent.push(now());
    windows.set(key, recent);
    if (windows.size > 10_000) {
      for (const [k, times] of windows) if (!times.some((at) => at > since)) windows.delete(k);
    }
    return true;
  };
}
