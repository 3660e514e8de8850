import type { PgQueryable } from '../db/database.js';
import { bossSchema } from './queue.js';

/**
 * The queue's backlog for metrics: jobs waiting (created), retrying or running, per queue,
 * with the age of the oldest. One grouped read of pg-boss's job table, at scrape time only.
 */
export async function jobsWaiting(
  db: PgQueryable,
): Promise<Array<{ name: string; state: string; count: number; oldestSeconds: number }>> {
  const { rows } = await db.query(
    `select name, state::text as state, count(*)::int as count,
       extract(epoch from now() - min(created_on))::float8 as oldest
     from ${bossSchema}.job
     where state in ('created', 'retry', 'active')
     group by name, state`,
  );
  return rows.map((r) => ({
    name: String(r['name']),
    state: String(r['state']),
    count: Number(r['count']),
    oldestSeconds: Number(r['oldest']),
  }));
}
