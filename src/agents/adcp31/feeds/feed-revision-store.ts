import type { PgQueryable } from '../../../platform/db/database.js';

/**
 * The database's wholesale feed revision: a sequence every committed write to a table that
 * shapes a storefront's get_products answer moves (migration wholesale_feed_version: deferred
 * constraint triggers on storefronts, sources, modular and ad-server inventory, buyer
 * instructions, rate cards, product rules, operating instructions, links, posture acceptances).
 * One read of one sequence, no lock and no answer built: the same value on every instance.
 */
export function feedRevisionReader(queryable: PgQueryable): () => Promise<string> {
  return async () => {
    const { rows } = await queryable.query('select last_value, is_called from wholesale_feed_seq');
    const row = rows[0];
    // A sequence never moved reads its start value with is_called false: revision 0.
    return row && row['is_called'] === true ? String(row['last_value']) : '0';
  };
}
