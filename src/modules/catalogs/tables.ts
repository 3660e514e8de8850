import {
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

export interface ChangeSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** One version of a catalog's items: written whenever a sync or import changes them. */
export interface CatalogVersion {
  versionNumber: number;
  itemCount: number;
  contentHash: string;
  changeSummary: ChangeSummary;
  createdAt: string;
}

/**
 * An advertiser's catalogs (seed 004; AdCP sync_catalogs). `catalogId` is the buyer's word,
 * unique per advertiser. Items live in `catalog_offerings`; DELETE archives the catalog and all
 * its offerings. `versions` keeps the last few versions (newest first).
 */
export const catalogs = pgTable(
  'catalogs',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 7001 }),
    customerId: integer('customer_id').notNull(),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    catalogId: text('catalog_id').notNull(),
    type: text('type').notNull(),
    name: text('name'),
    description: text('description'),
    url: text('url'),
    feedFormat: text('feed_format'),
    updateFrequency: text('update_frequency'),
    conversionEvents: jsonb('conversion_events').$type<string[]>().notNull().default([]),
    status: text('status').$type<'ACTIVE' | 'ARCHIVED'>().notNull().default('ACTIVE'),
    itemCount: integer('item_count').notNull().default(0),
    versionNumber: integer('version_number').notNull().default(0),
    contentHash: text('content_hash'),
    versions: jsonb('versions').$type<CatalogVersion[]>().notNull().default([]),
    lastChangeSummary: jsonb('last_change_summary')
      .$type<ChangeSummary>()
      .notNull()
      .default({ added: 0, updated: 0, unchanged: 0, removed: 0 }),
    lastSyncedAt: timestamptz('last_synced_at'),
    archivedAt: timestamptz('archived_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('catalogs_advertiser_key').on(t.advertiserId, t.catalogId),
    index('catalogs_customer_idx').on(t.customerId, t.advertiserId),
  ],
);

/**
 * The items of a catalog ("offerings" in seed 004): products, hotels, jobs… `offeringId` is the
 * item's own id (offering_id, hotel_id, sku…), unique per catalog. `data` holds the item as
 * AdCP describes it (snake_case, type-specific); the columns beside it are what lists and
 * filters read. `contentHash` tells an unchanged item from an updated one.
 */
export const catalogOfferings = pgTable(
  'catalog_offerings',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    catalogRowId: bigintNumber('catalog_row_id')
      .notNull()
      .references(() => catalogs.id),
    customerId: integer('customer_id').notNull(),
    offeringId: text('offering_id').notNull(),
    title: text('title'),
    description: text('description'),
    price: numeric('price', { precision: 18, scale: 4, mode: 'number' }),
    currency: text('currency'),
    landingUrl: text('landing_url'),
    imageUrl: text('image_url'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    contentHash: text('content_hash').notNull(),
    status: text('status').$type<'ACTIVE' | 'ARCHIVED'>().notNull().default('ACTIVE'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('catalog_offerings_key').on(t.catalogRowId, t.offeringId),
    index('catalog_offerings_list_idx').on(t.catalogRowId, t.status, t.id),
  ],
);

/**
 * Where a catalog was pushed (POST …/catalogs/sync with partnerIds): one row per (catalog,
 * partner), the latest outcome. A partner is an inventory source the advertiser linked an
 * account on, named by its agent id or source id.
 */
export const catalogPartnerSyncs = pgTable(
  'catalog_partner_syncs',
  {
    catalogRowId: bigintNumber('catalog_row_id')
      .notNull()
      .references(() => catalogs.id),
    partnerId: text('partner_id').notNull(),
    status: text('status').$type<'SYNCED' | 'FAILED'>().notNull(),
    platformId: text('platform_id'),
    itemCount: integer('item_count'),
    error: text('error'),
    attemptedAt: timestamptz('attempted_at').notNull(),
    syncedAt: timestamptz('synced_at'),
  },
  (t) => [primaryKey({ columns: [t.catalogRowId, t.partnerId] })],
);
