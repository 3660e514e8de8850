import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber } from '../../platform/db/columns.js';

/**
 * Request counters shared by every instance (src/platform/guard/rate-limit.ts's `RateStore`):
 * one row per bucket (`key:<id>`, `mcp:<id>`, `ip:<address>`) holding the count of its current
 * fixed window, which opened at `window_start` (epoch milliseconds on the database's clock, so
 * the instances' clocks do not matter) with the bucket's first request. The table is UNLOGGED (migration 0050): counters are not
 * worth a WAL write per request, and a crash of PostgreSQL only resets the windows.
 */
export const rateWindows = pgTable('rate_windows', {
  bucket: text('bucket').primaryKey(),
  windowStart: bigintNumber('window_start').notNull(),
  count: integer('count').notNull(),
});
