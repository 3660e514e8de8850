import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import { availableSql } from './avails-store.js';

/** The queries behind a feed-fed source's selectors (selectors.ts): read from its avails on sale. */

function onSale(inventorySourceId: number, now: Date) {
  // The seller's own avails only (a sandbox buyer's seeded ones are no collection of it).
  return sql`modular_avails.inventory_source_id = ${inventorySourceId} and modular_avails.sandbox_customer_id is null and modular_avails.active and modular_avails.end_time > ${now.toISOString()}`;
}

/** Each collection on sale: its avails, impressions left, channels and targeting dimensions. */
export async function collectionsOnSale(db: Db, inventorySourceId: number, now: Date) {
  return rowsOf<{
    collection_id: string;
    collection_name: string;
    avails: number;
    available: number;
    channels: string[];
    dimensions: string[];
  }>(
    await db.execute(sql`
      select modular_avails.collection_id, min(modular_avails.collection_name) as collection_name,
             count(*)::int as avails, coalesce(sum(${availableSql}), 0)::float8 as available,
             coalesce(array_agg(distinct modular_avails.channel)
                      filter (where modular_avails.channel is not null), '{}') as channels,
             coalesce((select array_agg(distinct k) from modular_avails b, jsonb_object_keys(b.targeting) k
                        where b.inventory_source_id = ${inventorySourceId} and b.collection_id = modular_avails.collection_id
                          and b.active and b.end_time > ${now.toISOString()}), '{}') as dimensions
        from modular_avails
       where ${onSale(inventorySourceId, now)}
       group by modular_avails.collection_id
       order by modular_avails.collection_id`),
  );
}

/**
 * Each value of each targeting dimension within a collection on sale (at most `limit`): a
 * dimension's value is a scalar or an array of them; objects are kept as their JSON text.
 */
export async function attributesOnSale(
  db: Db,
  inventorySourceId: number,
  now: Date,
  limit: number,
) {
  return rowsOf<{
    collection_id: string;
    collection_name: string;
    dimension: string;
    value: string;
    avails: number;
    available: number;
  }>(
    await db.execute(sql`
      select modular_avails.collection_id, min(modular_avails.collection_name) as collection_name,
             t.key as dimension,
             v.value, count(*)::int as avails, coalesce(sum(${availableSql}), 0)::float8 as available
        from modular_avails
        cross join lateral jsonb_each(modular_avails.targeting) t
        cross join lateral jsonb_array_elements_text(
          case when jsonb_typeof(t.value) = 'array' then t.value else jsonb_build_array(t.value) end
        ) v(value)
       where ${onSale(inventorySourceId, now)} and jsonb_typeof(t.value) <> 'null'
       group by modular_avails.collection_id, t.key, v.value
       order by modular_avails.collection_id, t.key, v.value
       limit ${limit}`),
  );
}
