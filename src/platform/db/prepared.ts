import type { Db } from './database.js';

/**
 * A statement prepared once per database handle (issue 30): drizzle builds its SQL once, and
 * PostgreSQL parses and plans it once per pooled connection (a named statement). For a hot read
 * of fixed shape; its values are placeholders (`sql.placeholder`), arrays passed as one
 * parameter (`= any($1)`), so one statement serves every size of list.
 */
export function preparedPerDb<P>(prepare: (db: Db) => P): (db: Db) => P {
  const prepared = new WeakMap<Db, P>();
  return (db) => {
    let statement = prepared.get(db);
    if (statement === undefined) prepared.set(db, (statement = prepare(db)));
    return statement;
  };
}
