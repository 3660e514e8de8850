import type { PgQueryable } from '../../platform/db/database.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import type { RateDecision, RateStore } from '../../platform/guard/rate-limit.js';

/**
 * The fleet's request budget: every instance counts in the same rows, so a limit of N a minute
 * is N across all of them, not N per instance. A bucket's row is an upsert that starts a new
 * window when the old one has passed on the database's clock (so the instances' clocks do not
 * matter), and answers the count with the time left (raw SQL on the pool: the query builder's
 * overhead showed in bench/rate-limit.ts).
 *
 * Places in a window are leased, not asked for one by one. An upsert adds `k` to the count and
 * the instance then holds places `count - k + 1 … count`: the hit that asked takes the first,
 * later hits of the bucket on this instance take the rest without a statement until they run
 * out or the window ends. `k` is a tenth of what the bucket had left when this instance last
 * asked (at least 1, and at least the hits waiting), so a key far from its limit costs one
 * statement per tenth of its budget (about 60 a window at the default 1,200), and near the limit
 * every lease is a single place, as before. Every allowed hit still has its own place in the
 * window, and no more than N are ever allowed across the fleet. What a lease can cost is the
 * other way: places an instance holds when a client's requests stop reaching it go unused until
 * the window ends (at most a tenth of what was left when it asked).
 *
 * Hits of a bucket that arrive while its upsert is in flight wait for it and are served from
 * the lease (or the next one) in order, so a busy key's concurrent requests share one
 * statement instead of queueing on its row's lock (bench/fleet-load.ts).
 */
const hitSql = `
  insert into rate_windows as r (bucket, window_start, count)
  values ($1, (extract(epoch from clock_timestamp()) * 1000)::bigint, $3::int)
  on conflict (bucket) do update
    set count = case when r.window_start > excluded.window_start - $2::bigint
          then r.count + excluded.count else excluded.count end,
        window_start = case when r.window_start > excluded.window_start - $2::bigint
          then r.window_start else excluded.window_start end
  returning count,
    (window_start + $2::bigint - extract(epoch from clock_timestamp()) * 1000)::float8 as left_ms`;

/** The share of a bucket's remaining budget one lease takes. */
const leaseShare = 0.1;
/** Buckets held at once; past it the oldest are forgotten (their unused places with them). */
const maxBuckets = 50_000;

interface Waiter {
  limit: number;
  resolve: (decision: RateDecision) => void;
  reject: (error: unknown) => void;
}

/** What this instance holds of one bucket's current window. */
interface Lease {
  /** The next place to hand out, and the last one leased (inclusive). */
  next: number;
  last: number;
  /** The window's count at the database after the last lease. */
  count: number;
  /** When the window ends, on this process's clock. */
  endsAt: number;
  /** Hits waiting for an upsert in flight; undefined when none is. */
  waiting?: Waiter[];
}

export function createDatabaseRateStore(
  db: PgQueryable,
  windowSeconds = 60,
  now: () => number = () => performance.now(),
): RateStore {
  const windowMs = windowSeconds * 1000;
  // Rows of buckets idle for two windows go, at most once every five minutes per instance.
  const sweep = throttledSweep(5 * 60_000, () =>
    db.query(
      `delete from rate_windows
       where window_start < (extract(epoch from clock_timestamp()) * 1000)::bigint - $1::bigint`,
      [windowMs * 2],
    ),
  );
  const leases = new Map<string, Lease>();
  let nextForget = now() + windowMs;

  /** Leases of ended windows go once a window; the oldest go past the cap. */
  function forget(t: number) {
    if (t >= nextForget) {
      nextForget = t + windowMs;
      for (const [bucket, lease] of leases) {
        if (lease.endsAt <= t && !lease.waiting) leases.delete(bucket);
      }
    }
    for (const [bucket, lease] of leases) {
      if (leases.size <= maxBuckets) break;
      if (!lease.waiting) leases.delete(bucket);
    }
  }

  const decide = (place: number, limit: number, lease: Lease, t: number): RateDecision => ({
    allowed: place <= limit,
    limit,
    remaining: Math.max(0, limit - place),
    resetIn: Math.max(1, Math.ceil((lease.endsAt - t) / 1000)),
  });

  /** Serves waiting hits from the lease's places; true when every one was served. */
  function serveFromLease(lease: Lease, queue: Waiter[], t: number): boolean {
    if (t >= lease.endsAt) return queue.length === 0;
    while (queue.length > 0 && lease.next <= lease.last) {
      const w = queue.shift()!;
      w.resolve(decide(lease.next++, w.limit, lease, t));
    }
    return queue.length === 0;
  }

  async function renew(bucket: string, lease: Lease) {
    const queue = lease.waiting!;
    while (!serveFromLease(lease, queue, now())) {
      const batch = queue.splice(0);
      const limit = batch[0]!.limit;
      const left = now() < lease.endsAt ? limit - lease.count : limit;
      const size = Math.max(batch.length, Math.floor(left * leaseShare), 1);
      try {
        // A bucket's window opens at its first request (as in the in-process store), so a
        // burst is never split across a boundary shared by every bucket.
        const { rows } = await db.query(hitSql, [bucket, windowMs, size]);
        const row = rows[0] as { count: number; left_ms: number } | undefined;
        const count = Number(row?.count);
        const t = now();
        lease.count = count;
        lease.next = count - size + 1;
        lease.last = count;
        lease.endsAt = t + Math.max(0, Number(row?.left_ms));
        for (const w of batch) w.resolve(decide(lease.next++, w.limit, lease, t));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    lease.waiting = undefined;
  }

  return {
    hit(bucket, limit) {
      void sweep(new Date());
      const t = now();
      forget(t);
      let lease = leases.get(bucket);
      if (lease && !lease.waiting && t < lease.endsAt && lease.next <= lease.last) {
        return Promise.resolve(decide(lease.next++, limit, lease, t));
      }
      return new Promise<RateDecision>((resolve, reject) => {
        if (!lease) {
          lease = { next: 1, last: 0, count: 0, endsAt: 0 };
          leases.set(bucket, lease);
        }
        if (lease.waiting) {
          lease.waiting.push({ limit, resolve, reject });
          return;
        }
        lease.waiting = [{ limit, resolve, reject }];
        void renew(bucket, lease);
      });
    },
  };
}
