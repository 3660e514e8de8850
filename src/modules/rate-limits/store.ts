import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { rowsOf } from '../../platform/db/migrate.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import type { RateStore } from '../../platform/guard/rate-limit.js';

/**
 * The fleet's request budget: every instance counts in the same rows, so a limit of N a minute
 * is N across all of them, not N per instance. One statement per request, an upsert on the
 * bucket's row that starts a new window when the old one has passed on the database's clock
 * (so the instances' clocks do not matter), and answers the count with the time left. Concurrent requests of one key queue on its row
 * only for that statement (autocommit, no transaction around it).
 */
export function createDatabaseRateStore(db: Db, windowSeconds = 60): RateStore {
  const windowMs = windowSeconds * 1000;
  // Rows of buckets idle for two windows go, at most once every five minutes per instance.
  const sweep = throttledSweep(5 * 60_000, () =>
    db.execute(sql`
      delete from rate_windows
      where window_start < (extract(epoch from clock_timestamp()) * 1000)::bigint - ${windowMs * 2}`),
  );
  return {
    async hit(bucket, limit) {
      void sweep(new Date());
      // A bucket's window opens at its first request (as in the in-process store), so a burst
      // is never split across a boundary shared by every bucket.
      const result = await db.execute(sql`
        insert into rate_windows as r (bucket, window_start, count)
        values (${bucket}, (extract(epoch from clock_timestamp()) * 1000)::bigint, 1)
        on conflict (bucket) do update
          set count = case when r.window_start > excluded.window_start - ${windowMs}
                then r.count + 1 else 1 end,
              window_start = case when r.window_start > excluded.window_start - ${windowMs}
                then r.window_start else excluded.window_start end
        returning count,
          (window_start + ${windowMs} - extract(epoch from clock_timestamp()) * 1000)::float8 as left_ms`);
      const [row] = rowsOf<{ count: number; left_ms: number }>(result);
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
