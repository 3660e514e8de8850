import type { PgQueryable } from '../../../platform/db/database.js';

/**
 * The database's wholesale feed revision: one row every committing transaction that wrote a
 * table shaping a storefront's get_products answer moves, once (migration
 * wholesale_feed_version: deferred constraint triggers on storefronts, sources, modular and
 * ad-server inventory, buyer instructions, rate cards, product rules, operating instructions,
 * links, posture acceptances). The row is transactional, so the revision read is never newer than
 * the rows read after it. One read of one row, no lock and no answer built: the same value on
 * every instance.
 */
export function feedRevisionReader(queryable: PgQueryable): () => Promise<string> {
  return async () => {
    const { rows } = await queryable.query(
      'select revision from wholesale_feed_revision where id = 1',
    );
    return String(rows[0]?.['revision'] ?? 0);
  };
}
