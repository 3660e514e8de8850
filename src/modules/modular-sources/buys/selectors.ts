import type { ModularContext, OwnedModular } from '../context.js';
import { attributesOnSale, collectionsOnSale } from './selectors-store.js';

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

  async function collections(inventorySourceId: number): Promise<Selector[]> {
    const rows = await collectionsOnSale(ctx.db, inventorySourceId, ctx.now());
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
    const rows = await attributesOnSale(ctx.db, inventorySourceId, ctx.now(), maxAttributeRows);
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
