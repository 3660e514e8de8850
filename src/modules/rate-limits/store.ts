import type { PgQueryable } from '../../platform/db/database.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import type { RateDecision, RateStore } from '../../platform/guard/rate-limit.js';

/**
 * The fleet's request budget: every instance counts in the same rows, so a limit of N a minute
 * is N across all of them, not N per instance. One statement per request at most (raw SQL on the
 * pool: this runs before every request, and the query builder's overhead showed in
 * bench/rate-limit.ts), an upsert on the bucket's row that starts a new window when the old one
 * has passed on the database's clock (so the instances' clocks do not matter), and answers the
 * count with the time left.
 *
 * Hits of one bucket that arrive while that bucket's upsert is in flight are counted together in
 * the next one (`count + k`), and each gets its own place in the count: exactly what k upserts
 * one after the other would answer, but one statement and one wait on the row instead of k. A
 * busy key (every request of one client, every public request from one address) otherwise had
 * each of its concurrent requests queue on its row's lock in PostgreSQL (bench/fleet-load.ts).
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

interface Waiter {
  limit: number;
  resolve: (decision: RateDecision) => void;
  reject: (error: unknown) => void;
}

export function createDatabaseRateStore(db: PgQueryable, windowSeconds = 60): RateStore {
  const windowMs = windowSeconds * 1000;
  // Rows of buckets idle for two windows go, at most once every five minutes per instance.
  const sweep = throttledSweep(5 * 60_000, () =>
    db.query(
      `delete from rate_windows
       where window_start < (extract(epoch from clock_timestamp()) * 1000)::bigint - $1::bigint`,
      [windowMs * 2],
    ),
  );
  // Per bucket: the hits waiting for the next upsert. A bucket is here while one is in flight.
  const waiting = new Map<string, Waiter[]>();

  async function flush(bucket: string, queue: Waiter[]) {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        // A bucket's window opens at its first request (as in the in-process store), so a
        // burst is never split across a boundary shared by every bucket.
        const { rows } = await db.query(hitSql, [bucket, windowMs, batch.length]);
        const row = rows[0] as { count: number; left_ms: number } | undefined;
        const last = Number(row?.count);
        const resetIn = Math.max(1, Math.ceil(Number(row?.left_ms) / 1000));
        batch.forEach((w, i) => {
          const count = last - batch.length + 1 + i;
          w.resolve({
            allowed: count <= w.limit,
            limit: w.limit,
            remaining: Math.max(0, w.limit - count),
            resetIn,
          });
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    waiting.delete(bucket);
  }

  return {
    hit(bucket, limit) {
      void sweep(new Date());
      return new Promise<RateDecision>((resolve, reject) => {
        const queue = waiting.get(bucket);
        if (queue) {
          queue.push({ limit, resolve, reject });
          return;
        }
        const fresh = [{ limit, resolve, reject }];
        waiting.set(bucket, fresh);
        void flush(bucket, fresh);
      });
    },
  };
}
