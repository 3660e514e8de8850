import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  bigintNumber,
  timestamps,
  timestamptz,
  viewabilityColumns,
} from '../../platform/db/columns.js';
import type { ProductRule } from './schemas.js';

/*
 * Ad-server sources (seed 003, issue 35): a storefront's MANAGED_SALES_AGENT inventory source
 * whose sales-agent plumbing Interchange runs over the publisher's own ad server (Google Ad
 * Manager today). The inventory source row belongs to inventory-sources; these hang off its id.
 */

/** The connection: which ad server, its non-secret config, its sealed credentials, its state. */
export const adServerConnections = pgTable('ad_server_connections', {
  inventorySourceId: bigintNumber('inventory_source_id').primaryKey(),
  storefrontId: integer('storefront_id').notNull(),
  /** google_ad_manager, springserve or freewheel (one adapter folder each). */
  type: text('type').notNull(),
  /** The non-secret config as the hosted EsaConnection.adServer shows it, plus product rules. */
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  /** Credentials sealed with the instance's SecretBox; never returned or logged. */
  credentialsSealed: text('credentials_sealed'),
  /** pending | provisioning | active | failed | deactivated (hosted provisioningStatus). */
  provisioningStatus: text('provisioning_status').notNull().default('pending'),
  lastError: text('last_error'),
  lastErrorCode: text('last_error_code'),
  lastTestedAt: timestamptz('last_tested_at'),
  provisionedAt: timestamptz('provisioned_at'),
  deactivatedAt: timestamptz('deactivated_at'),
  /** The last delivery report import, for the age shown to the operator. */
  lastReportAt: timestamptz('last_report_at'),
  ...timestamps(),
});

/**
 * One sync run (hosted sync-history). `cursor` is where the run stands per object kind, written
 * after every page, so a run interrupted by a crash resumes from its last page.
 */
export const adServerSyncRuns = pgTable(
  'ad_server_sync_runs',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    syncType: text('sync_type').notNull(),
    /** running | completed | partial (a page bound was hit) | failed */
    status: text('status').notNull(),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    completedAt: timestamptz('completed_at'),
    itemsProcessed: integer('items_processed').notNull().default(0),
    itemsFailed: integer('items_failed').notNull().default(0),
    errorSummary: text('error_summary'),
    errorCategory: text('error_category'),
    /**
     * Where the run stands: the kind, the page after which to read, and pages read so far; its
     * mode (`full`, or `incremental` from `since`), the high-water mark the next incremental
     * run starts from once this one completes, and objects read per kind (and retired).
     */
    cursor: jsonb('cursor').$type<{
      kind: string;
      after: string | null;
      pages?: number;
      mode?: 'full' | 'incremental';
      since?: string;
      mark?: string;
      counts?: Record<string, number>;
      retired?: number;
    }>(),
  },
  (t) => [
    index('ad_server_sync_runs_source_idx').on(t.inventorySourceId, t.startedAt),
    // At most one running run per source, whatever the instance that starts it.
    uniqueIndex('ad_server_sync_runs_one_running_idx')
      .on(t.inventorySourceId)
      .where(sql`status = 'running'`),
  ],
);

/** Synced ad-server objects: ad units, placements, custom targeting keys and values, advertisers. */
export const adServerInventory = pgTable(
  'ad_server_inventory',
  {
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    kind: text('kind').notNull(),
    externalId: text('external_id').notNull(),
    parentId: text('parent_id'),
    name: text('name').notNull(),
    status: text('status').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** The sync run that last saw it (a full sync retires what it did not see). */
    syncRunId: text('sync_run_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.inventorySourceId, t.kind, t.externalId] }),
    index('ad_server_inventory_name_idx').on(t.inventorySourceId, t.kind, t.name),
  ],
);

/**
 * A buy placed in the ad server: one order, one line item per package. Recorded before the first
 * write (`status` creating), so a retry or a crash mid-creation finds the order it began.
 */
export const adServerOrders = pgTable(
  'ad_server_orders',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** creating | approving | active | paused | canceled | rejected | failed | cleanup_pending */
    status: text('status').notNull(),
    externalOrderId: text('external_order_id'),
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    /** Per package: its line item (and creatives) once created. */
    lines: jsonb('lines')
      .$type<
        Array<{
          packageId: string;
          productId: string;
          budget: number;
          cpm: number;
          /** The line item's impressions goal as last written (absent on orders before it was kept). */
          impressions?: number;
          lineItemId?: string;
          /** The ad server's ids of the creatives on the line item now. */
          creativeIds?: string[];
          /** The buyer's creatives on it now, each with its ad server id (kept since issue 70). */
          creatives?: Array<{ creativeId: string; adServerId: string }>;
        }>
      >()
      .notNull(),
    currency: text('currency').notNull(),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time').notNull(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    /** The order's status in the ad server when last followed (DRAFT, PENDING_APPROVAL, …). */
    adServerStatus: text('ad_server_status'),
    adServerCheckedAt: timestamptz('ad_server_checked_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('ad_server_orders_idem_idx').on(
      t.inventorySourceId,
      t.buyerCustomerId,
      t.idempotencyKey,
    ),
  ],
);

/** Delivery imported from the ad server's reports: one row per line item and day. */
export const adServerDelivery = pgTable(
  'ad_server_delivery',
  {
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    orderId: text('order_id').notNull(),
    lineItemId: text('line_item_id').notNull(),
    day: date('day').notNull(),
    impressions: bigintNumber('impressions').notNull(),
    clicks: bigintNumber('clicks').notNull(),
    spend: numeric('spend', { precision: 14, scale: 4 }).notNull(),
    ...viewabilityColumns(),
    importedAt: timestamptz('imported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.inventorySourceId, t.lineItemId, t.day] })],
);

/**
 * The ad server's availability forecast per source and product, cached: answered to buyers with
 * its age, refreshed by a job when missing or older than its freshness (never while a buyer
 * waits). A failed refresh keeps the last forecast and records why.
 */
export const adServerForecasts = pgTable(
  'ad_server_forecasts',
  {
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    productId: text('product_id').notNull(),
    /** The last forecast the ad server gave, and the flight it was asked for. */
    forecast: jsonb('forecast').$type<{
      unitType: string;
      available: number;
      possible: number;
      matched: number;
      start: string;
      end: string;
      currency: string;
    }>(),
    forecastAt: timestamptz('forecast_at'),
    /** When a refresh was last asked for (a refresh is not asked again while one is recent). */
    requestedAt: timestamptz('requested_at'),
    lastErrorCode: text('last_error_code'),
    lastErrorAt: timestamptz('last_error_at'),
  },
  (t) => [primaryKey({ columns: [t.inventorySourceId, t.productId] })],
);

/**
 * A sandbox buyer's seeded product at an ad-server source (issue 70, item 2; sandbox/fixtures.ts):
 * the product rule it books as (a product of the network's own, under the seeded id and price)
 * and the fixture as seeded, listed and booked for that buyer's sandbox accounts only.
 */
export const adServerSandboxProducts = pgTable(
  'ad_server_sandbox_products',
  {
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    productId: text('product_id').notNull(),
    rule: jsonb('rule').$type<ProductRule>().notNull(),
    fixture: jsonb('fixture').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.inventorySourceId, t.buyerCustomerId, t.productId] })],
);
