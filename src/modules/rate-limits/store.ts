import type { PgQueryable } from '../../platform/db/database.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import type { RateStore } from '../../platform/guard/rate-limit.js';

/**
 * The fleet's request budget: every instance counts in the same rows, so a limit of N a minute
 * is N across all of them, not N per instance. One statement per request (raw SQL on the pool:
 * this runs before every request, and the query builder's overhead showed in bench/rate-limit.ts),
 * an upsert on the bucket's row that starts a new window when the old one has passed on the
 * database's clock (so the instances' clocks do not matter), and answers the count with the
 * time left. Concurrent requests of one key queue on its row only for that statement
 * (autocommit, no transaction around it).
 */
const hitSql = `
  insert into rate_windows as r (bucket, window_start, count)
  values ($1, (extract(epoch from clock_timestamp()) * 1000)::bigint, 1)
  on conflict (bucket) do update
    set count = case when r.window_start > excluded.window_start - $2::bigint
          then r.count + 1 else 1 end,
        window_start = case when r.window_start > excluded.window_start - $2::bigint
          then r.window_start else excluded.window_start end
  returning count,
    (window_start + $2::bigint - extract(epoch from clock_timestamp()) * 1000)::float8 as left_ms`;

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
  return {
    async hit(bucket, limit) {
      void sweep(new Date());
      // A bucket's window opens at its first request (as in the in-process store), so a burst
      // is never split across a boundary shared by every bucket.
      const { rows } = await db.query(hitSql, [bucket, windowMs]);
      const row = rows[0] as { count: number; left_ms: number } | undefined;
      const count = Number(row?.count);
      return {
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetIn: Math.max(1, Math.ceil(Number(row?.left_ms) / 1000)),
      };
    },
  };
}
