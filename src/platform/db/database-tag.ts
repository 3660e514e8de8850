import type { Db } from './database.js';

const tags = new WeakMap<Db, number>();
let next = 0;

/**
 * A tag unique to this database handle within the process. An in-process cache whose keys are
 * database ids (a storefront's, a source's, a version counter) holds them for one database: a
 * process with two (the test suite's files sharing a worker, a restore beside the live one)
 * would otherwise serve one database's rows for the other's equal ids. Such keys include it.
 */
export function databaseTag(db: Db): number {
  let tag = tags.get(db);
  if (tag === undefined) {
    tag = ++next;
    tags.set(db, tag);
  }
  return tag;
}
