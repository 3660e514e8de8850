import type PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * pg-boss's database adapter over the app's own pool. pg-boss sends parameterless
 * multi-statement scripts (its migrations and locked maintenance, BEGIN … COMMIT with
 * pg_advisory_xact_lock) and parameterized single statements; scripts go through
 * Database.script, which rolls a failed one back on its own connection before returning it to
 * the pool.
 */
export function bossDbOf(database: Database): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      if (values && values.length > 0) return database.queryable.query(text, values);
      return { rows: await database.script(text) };
    },
  };
}
