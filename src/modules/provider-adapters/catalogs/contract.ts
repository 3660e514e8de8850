import type { AdapterContext } from '../adapter-context.js';

/*
 * The product-catalog side of a provider (AdCP sync_catalogs, sales-social), for adapters whose
 * provider keeps product catalogs (docs/adapters.md, "Catalogs"). The source kind
 * (sync-catalogs.ts) reads the buyer's items, keeps which buyer owns which catalog and which
 * items it holds, and works out what changed; the adapter only speaks its provider's catalog API.
 * Every catalog is named by the caller (`name`), so a create whose answer was lost is found again
 * by name instead of made twice; items are written keyed by the buyer's own item ids, so sending
 * the same items again replaces them instead of adding copies.
 */

/** AdCP's availability words, normalised. */
export type ProductAvailability =
  'in_stock' | 'out_of_stock' | 'preorder' | 'backorder' | 'discontinued';

export type ProductCondition = 'new' | 'refurbished' | 'used';

/** One product of a buyer's catalog in provider-neutral words (items.ts reads it). */
export interface CatalogProduct {
  /** The buyer's item id: the provider's retailer id / item id / SKU id. */
  id: string;
  title: string;
  description: string;
  link: string;
  imageLink: string;
  additionalImageLinks: string[];
  /** Major units of `currency`. */
  price: number;
  salePrice: number | null;
  /** ISO 4217, upper case. */
  currency: string;
  availability: ProductAvailability;
  condition: ProductCondition;
  brand: string | null;
  gtin: string | null;
  mpn: string | null;
  itemGroupId: string | null;
  category: string | null;
}

/** What the provider said of the items it was sent: those it refused, and why. */
export interface ItemVerdicts {
  rejected: Array<{ id: string; reasons: string[] }>;
  /** Items the provider took but is still processing (asynchronous ingestion). */
  pending: number;
}

/** A feed URL the provider fetches itself, on a schedule (AdCP `url` + `update_frequency`). */
export interface ProviderFeed {
  name: string;
  url: string;
  /** AdCP update_frequency; the provider's nearest schedule. */
  frequency: 'realtime' | 'hourly' | 'daily' | 'weekly';
  /** AdCP feed_format, when the buyer gave one. */
  format: string | null;
}

export interface ProviderCatalogs {
  /** The AdCP catalog types the provider takes here ('product'). */
  readonly types: readonly string[];
  /** Items per provider call (its batch limit; 0 without writeItems): no more are sent at once. */
  readonly itemsPerCall: number;
  createCatalog(ctx: AdapterContext, name: string): Promise<string>;
  findCatalog(ctx: AdapterContext, name: string): Promise<string | null>;
  /** Deletes the catalog (or, where the provider deletes none, every item of it). */
  deleteCatalog(ctx: AdapterContext, catalogId: string, itemIds: string[]): Promise<void>;
  /**
   * Upserts items keyed by their id, then removes ids; answers what the provider refused.
   * Absent: the provider documents no call that writes a product (its catalogs are filled from
   * feeds it fetches), so inline items are refused by name.
   */
  writeItems?(
    ctx: AdapterContext,
    catalogId: string,
    change: { upsert: CatalogProduct[]; remove: string[] },
  ): Promise<ItemVerdicts>;
  /**
   * Registers (or, with `feedId`, changes) a feed the provider fetches from the buyer's URL;
   * answers its id. Absent: the provider takes inline items only.
   */
  registerFeed?(
    ctx: AdapterContext,
    catalogId: string,
    feed: ProviderFeed,
    feedId: string | null,
  ): Promise<string>;
  /** The AdCP feed formats a registered feed may be in (the provider reads it, not us). */
  readonly feedFormats?: readonly string[];
  /** The URL schemes the provider fetches feeds over ('https:'); absent: http and https. */
  readonly feedSchemes?: readonly string[];
}
