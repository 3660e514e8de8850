import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../platform/db/migrate.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { availableSql } from './products.js';

/** The hosted selector types (searchModularInventorySelectors); a feed answers two of them. */
export const selectorTypes = [
  'site',
  'site_section',
  'site_group',
  'series',
  'video_group',
  'ad_unit_package',
  'ad_unit_node',
  'standard_attribute',
] as const;
export type SelectorType = (typeof selectorTypes)[number];

/** The selector types a feed answers, as `…/inventory/capabilities` lists them. */
export const feedSelectorTypes = [
  { id: 'site_group', label: 'Collections', supportsParentFilter: false },
  { id: 'standard_attribute', label: 'Targeting values by collection', supportsParentFilter: true },
] as const;

export interface SelectorQuery {
  selectorType: SelectorType;
  q?: string | undefined;
  parentId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface Selector {
  selectorType: SelectorType;
  externalId: string;
  name: string;
  path: string[];
  parentId: string | null;
  status: string | null;
  hasChildren: boolean;
  metadata: Record<string, unknown>;
}

/** How many distinct targeting values one source's selectors are drawn from at most. */
const maxAttributeRows = 5000;

/**
 * What a feed-fed source's avails on sale can be bought by, in the hosted selector page shape.
 * A feed has no upstream taxonomy (the hosted operation reads FreeWheel's), so the selectors are
 * read from the active avails themselves: `site_group` is a collection, and `standard_attribute`
 * is one value of one targeting dimension within a collection (`parentId` the collection id;
 * externalId `collectionId/dimension=value`). Every other type answers an empty page.
 */
export function createSelectors(ctx: ModularContext) {
  return async function search(owned: OwnedModular, query: SelectorQuery) {
    const offset = query.cursor ? Number(query.cursor) : 0;
    const all =
      query.selectorType === 'site_group'
        ? await collections(owned.row.id)
        : query.selectorType === 'standard_attribute'
          ? await attributes(owned.row.id)
          : [];
    const needle = query.q?.trim().toLowerCase();
    const matching = all.filter(
      (s) =>
        (query.parentId === undefined || s.parentId === query.parentId) &&
        (!needle || s.path.some((p) => p.toLowerCase().includes(needle))),
    );
    const items = matching.slice(offset, offset + query.limit);
    const next = offset + items.length;
    return {
      items,
      nextCursor: next < matching.length ? String(next) : null,
      count: matching.length,
    };
  };

  function onSale(inventorySourceId: number) {
    return sql`modular_avails.inventory_source_id = ${inventorySourceId} and modular_avails.active and modular_avails.end_time > ${ctx.now().toISOString()}`;
  }

  async function collections(inventorySourceId: number): Promise<Selector[]> {
    const rows = rowsOf<{
      collection_id: string;
      collection_name: string;
      avails: number;
      available: number;
      channels: string[];
      dimensions: string[];
    }>(
      await ctx.db.execute(sql`
      select modular_avails.collection_id, min(modular_avails.collection_name) as collection_name,
             count(*)::int as avails, coalesce(sum(${availableSql}), 0)::float8 as available,
             coalesce(array_agg(distinct modular_avails.channel)
                      filter (where modular_avails.channel is not null), '{}') as channels,
             coalesce((select array_agg(distinct k) from modular_avails b, jsonb_object_keys(b.targeting) k
                        where b.inventory_source_id = ${inventorySourceId} and b.collection_id = modular_avails.collection_id
                          and b.active and b.end_time > ${ctx.now().toISOString()}), '{}') as dimensions
        from modular_avails
       where ${onSale(inventorySourceId)}
       group by modular_avails.collection_id
       order by modular_avails.collection_id`),
    );
    return rows.map((r) => ({
      selectorType: 'site_group',
      externalId: r.collection_id,
      name: r.collection_name,
      path: [r.collection_name],
      parentId: null,
      status: 'ACTIVE',
      hasChildren: r.dimensions.length > 0,
      metadata: {
        activeAvailCount: r.avails,
        availableImpressions: Number(r.available),
        channels: [...r.channels].sort(),
        targetingDimensions: [...r.dimensions].sort(),
      },
    }));
  }

  async function attributes(inventorySourceId: number): Promise<Selector[]> {
    // A dimension's value is a scalar or an array of them; objects are kept as their JSON text.
    const rows = rowsOf<{
      collection_id: string;
      collection_name: string;
      dimension: string;
      value: string;
      avails: number;
      available: number;
    }>(
      await ctx.db.execute(sql`
      select modular_avails.collection_id, min(modular_avails.collection_name) as collection_name,
             t.key as dimension,
             v.value, count(*)::int as avails, coalesce(sum(${availableSql}), 0)::float8 as available
        from modular_avails
        cross join lateral jsonb_each(modular_avails.targeting) t
        cross join lateral jsonb_array_elements_text(
          case when jsonb_typeof(t.value) = 'array' then t.value else jsonb_build_array(t.value) end
        ) v(value)
       where ${onSale(inventorySourceId)} and jsonb_typeof(t.value) <> 'null'
       group by modular_avails.collection_id, t.key, v.value
       order by modular_avails.collection_id, t.key, v.value
       limit ${maxAttributeRows}`),
    );
    return rows.map((r) => ({
      selectorType: 'standard_attribute',
      externalId: `${r.collection_id}/${r.dimension}=${r.value}`,
      name: `${r.dimension}: ${r.value}`,
      path: [r.collection_name, r.dimension, r.value],
      parentId: r.collection_id,
      status: 'ACTIVE',
      hasChildren: false,
      metadata: {
        dimension: r.dimension,
        value: r.value,
        activeAvailCount: r.avails,
        availableImpressions: Number(r.available),
      },
    }));
  }
}
