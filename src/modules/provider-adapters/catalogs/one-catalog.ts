import type { SyncCatalogsRequest, SyncCatalogsSuccess } from '@adcp/sdk/types';
import type { ProviderCatalogs, ItemVerdicts, CatalogProduct } from './contract.js';
import { readItems, type ItemIssue } from './items.js';
import { ProviderError } from '../errors.js';
import { providers } from '../providers.js';
import type { BuyScope } from '../buys/scope.js';
import { providerNameOf } from '../social/names.js';
import * as store from '../social/store.js';

/*
 * One catalog of a buyer's sync_catalogs at an adapter source: checked against what the provider
 * takes (product catalogs; a feed URL only where the provider fetches feeds itself), its items
 * read and compared with what the buyer's record says the provider holds, and only the
 * difference written: new and changed items upserted by the buyer's item ids, items the buyer
 * no longer names removed. The record (provider_social_objects, kind catalog) is the buyer's
 * own: another buyer's same catalog_id is another catalog.
 */

export type Catalog = NonNullable<SyncCatalogsRequest['catalogs']>[number];
export type CatalogResult = SyncCatalogsSuccess['catalogs'][number];

/** What the buyer's record keeps of a catalog. */
export interface CatalogDetails {
  name?: string;
  type?: string;
  /** The items the provider holds for it: content hash by the buyer's item id. */
  items?: Record<string, string>;
  feedId?: string;
  url?: string;
  frequency?: string;
  syncedAt?: string;
}

/** Items in one catalog of one sync (as the buyer's own catalogs take). */
export const maxItemsPerCatalog = 10_000;

const providerLabel = (scope: BuyScope) => providers[scope.adapter.provider].name;

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

export function failed(
  catalogId: string,
  code: string,
  message: string,
  field?: string,
): CatalogResult {
  return {
    catalog_id: catalogId,
    action: 'failed',
    errors: [{ code, message, ...(field && { field }) }],
  } as CatalogResult;
}

/** Why the provider cannot take this catalog as asked, before anything is written. */
export function refusalOf(
  scope: BuyScope,
  catalogs: ProviderCatalogs,
  catalog: Catalog,
): CatalogResult | null {
  const id = catalog.catalog_id ?? '';
  const name = providerLabel(scope);
  if (!id) return failed('', 'INVALID_REQUEST', 'catalog_id is required', 'catalog_id');
  if (!catalogs.types.includes(catalog.type)) {
    return failed(
      id,
      'UNSUPPORTED_FEATURE',
      `${name} takes ${catalogs.types.join(', ')} catalogs here: "${id}" is a ${catalog.type} catalog`,
      'type',
    );
  }
  if (catalog.url && catalog.items) {
    return failed(id, 'INVALID_REQUEST', 'Give url or items, not both', 'items');
  }
  if (catalog.items && !catalogs.writeItems) {
    return failed(
      id,
      'UNSUPPORTED_FEATURE',
      `${name} fills catalogs from a feed it fetches: give the feed's url, not inline items`,
      'items',
    );
  }
  if ((catalog.items?.length ?? 0) > maxItemsPerCatalog) {
    return failed(
      id,
      'INVALID_REQUEST',
      `At most ${maxItemsPerCatalog} items per catalog in one sync`,
      'items',
    );
  }
  if (catalog.url !== undefined) {
    if (!catalogs.registerFeed) {
      return failed(
        id,
        'UNSUPPORTED_FEATURE',
        `${name} takes inline items here, not a feed URL`,
        'url',
      );
    }
    if (!/^https?:\/\//i.test(catalog.url)) {
      return failed(id, 'INVALID_REQUEST', 'url must be an http(s) URL', 'url');
    }
    const schemes = catalogs.feedSchemes;
    if (schemes && !schemes.includes(protocolOf(catalog.url))) {
      return failed(
        id,
        'UNSUPPORTED_FEATURE',
        `${name} fetches feeds over ${schemes.map((s) => s.replace(':', '')).join(', ')} only`,
        'url',
      );
    }
    const format = catalog.feed_format;
    if (format && !catalogs.feedFormats?.includes(format)) {
      return failed(
        id,
        'UNSUPPORTED_FEATURE',
        `${name} reads feeds in ${catalogs.feedFormats?.join(', ') ?? 'its own formats'}, not ${format}`,
        'feed_format',
      );
    }
    if (catalog.feed_field_mappings?.length) {
      return failed(
        id,
        'UNSUPPORTED_FEATURE',
        `${name} fetches the feed itself: feed_field_mappings cannot be applied`,
        'feed_field_mappings',
      );
    }
  }
  return null;
}

export interface CatalogPlan {
  upsert: CatalogProduct[];
  remove: string[];
  issues: ItemIssue[];
  /** Each usable product's content hash, by id. */
  hashes: Map<string, string>;
  /** The ids the catalog holds once the plan is carried out. */
  after: Set<string>;
}

/** The provider's record of what changed: added or changed products, and ids to remove. */
export function planOf(
  details: CatalogDetails,
  catalog: Catalog,
  currency: string | null,
): CatalogPlan {
  const held = details.items ?? {};
  if (!catalog.items) {
    return {
      upsert: [],
      remove: [],
      issues: [],
      hashes: new Map(),
      after: new Set(Object.keys(held)),
    };
  }
  const read = readItems(catalog.items, currency);
  const upsert = read.products.filter((p) => held[p.id] !== read.hashes.get(p.id));
  // An item the buyer still names but sent unusable keeps what the provider holds of it.
  const remove = Object.keys(held).filter((id) => !read.named.has(id));
  const after = new Set([
    ...read.products.map((p) => p.id),
    ...Object.keys(held).filter((id) => read.named.has(id)),
  ]);
  return { upsert, remove, issues: read.issues, hashes: read.hashes, after };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  const step = Math.max(1, size);
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/** Writes the change in the provider's batch size; merges what it refused. */
export async function writeChange(
  scope: BuyScope,
  catalogs: ProviderCatalogs,
  catalogId: string,
  change: { upsert: CatalogProduct[]; remove: string[] },
): Promise<ItemVerdicts> {
  const verdicts: ItemVerdicts = { rejected: [], pending: 0 };
  const write = catalogs.writeItems?.bind(catalogs);
  // A provider without item writes never gets here with items (refusalOf refused them).
  if (!write) return verdicts;
  for (const upsert of chunks(change.upsert, catalogs.itemsPerCall)) {
    const got = await write(scope.ctx, catalogId, { upsert, remove: [] });
    verdicts.rejected.push(...got.rejected);
    verdicts.pending += got.pending;
  }
  // A removal the provider refuses (an item it no longer has) leaves nothing to keep.
  for (const remove of chunks(change.remove, catalogs.itemsPerCall)) {
    await write(scope.ctx, catalogId, { upsert: [], remove });
  }
  return verdicts;
}

/** The provider's catalog for the buyer's record: its id, found by name or made once. */
export async function providerCatalogOf(
  scope: BuyScope,
  catalogs: ProviderCatalogs,
  owner: store.SocialOwner,
  catalog: Catalog,
): Promise<{ row: store.SocialObjectRow; created: boolean; providerId: string }> {
  const providerName = providerNameOf(owner, 'catalog', catalog.catalog_id!, catalog.name);
  const { row, created } = await store.claimSocialObject(
    scope.db,
    owner,
    'catalog',
    catalog.catalog_id!,
    providerName,
    {},
  );
  let providerId = row.providerId;
  if (!providerId) {
    providerId =
      (await catalogs.findCatalog(scope.ctx, row.providerName)) ??
      (await catalogs.createCatalog(scope.ctx, row.providerName));
    await store.updateSocialObject(scope.db, row.id, { providerId });
  }
  // A record whose catalog was claimed but never made is still the buyer's first sync of it.
  return { row, created: created || !row.providerId, providerId };
}

/** A provider refusal that concerns this catalog only (the rest of the sync goes on). */
export function catalogRefusal(catalogId: string, error: unknown): CatalogResult {
  if (error instanceof ProviderError && !error.retryable && !error.grantLost) {
    return failed(catalogId, error.code, error.message);
  }
  throw error;
}
