import type PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * pg-boss's database adapter over the app's own connection(s): the PostgreSQL pool, or the one
 * PGlite connection. pg-boss sends parameterless multi-statement scripts (its migrations and
 * locked maintenance, BEGIN … COMMIT with pg_advisory_xact_lock) and parameterized single
 * statements; PGlite's extended-protocol query takes only the latter, so scripts go through
 * Database.script (PGlite's exec, one call holding the connection for the whole transaction).
 */
export function bossDbOf(database: Database): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      if (values && values.length > 0) return database.queryable.query(text, values);
      return { rows: await database.script(text) };
    },
  };
}
