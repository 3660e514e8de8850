import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import type { ModularSetup } from './setup/modes.js';
import type { AvailRecord, ColumnMapping, RowDiagnostic } from './feeds/avail.js';
import type { BuyHandoff, BuyPackage } from './buys/packages.js';

/*
 * Modular sources (seed 003): an inventory source Interchange serves itself from modules (an
 * avails feed, a booking ledger, execution handoff, reporting import) and human work queues.
 * The inventory source row itself belongs to inventory-sources; these tables hang off its id.
 */

/** A modular source's setup: the modes it was created with and its saved column mapping. */
export const modularSources = pgTable('modular_sources', {
  inventorySourceId: bigintNumber('inventory_source_id').primaryKey(),
  storefrontId: integer('storefront_id').notNull(),
  setup: jsonb('setup').$type<ModularSetup>().notNull(),
  columnMapping: jsonb('column_mapping').$type<ColumnMapping>().notNull().default({}),
  /** The avails feed's id (hosted: feedId); one feed per source. */
  feedId: text('feed_id').notNull(),
  /** The committed revision buyers are sold from (the feed head); null before the first commit. */
  activeRevisionId: text('active_revision_id'),
  activeCommittedAt: timestamptz('active_committed_at'),
  /**
   * What is on sale, as of which write: moved once per committing transaction that wrote any of
   * the source's avails (a feed commit, a hold, a booking, a release), by a trigger on
   * modular_avails (migration modular_sale_version). Held answers are keyed by it (buys/product-set.ts).
   */
  saleVersion: bigintNumber('sale_version').notNull().default(0),
  ...timestamps(),
});

/** The modules a source is built from, with their non-secret config. */
export const modularModules = pgTable(
  'modular_modules',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    moduleInstanceId: text('module_instance_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    provider: text('provider'),
    /** What the operator set: ERROR and DISABLED hold; otherwise ACTIVE once set up. */
    operatorStatus: text('operator_status'),
    contractId: text('contract_id').notNull(),
    contractVersion: text('contract_version').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    lastError: text('last_error'),
    lastCheckedAt: timestamptz('last_checked_at'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('modular_modules_instance_key').on(t.inventorySourceId, t.moduleInstanceId)],
);

/** Module credentials (e.g. an upstream system's API key), sealed at rest and never returned. */
export const modularModuleCredentials = pgTable(
  'modular_module_credentials',
  {
    id: text('id').primaryKey(),
    moduleRowId: bigintNumber('module_row_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    name: text('name').notNull(),
    sealed: text('sealed'),
    status: text('status').$type<'ACTIVE' | 'REVOKED'>().notNull().default('ACTIVE'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    rotatedAt: timestamptz('rotated_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [index('modular_module_credentials_module_idx').on(t.moduleRowId)],
);

/** Feed revisions: previewed (staged rows kept), committed (the head), or rejected. */
export const modularFeedRevisions = pgTable(
  'modular_feed_revisions',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    revisionId: text('revision_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    contractId: text('contract_id').notNull(),
    deliverySemantics: text('delivery_semantics')
      .$type<'FULL_REPLACEMENT' | 'PATCH_UPSERT'>()
      .notNull(),
    /** sha256 of the bytes (or the JSON rows) as received. */
    contentDigest: text('content_digest').notNull(),
    inputSource: text('input_source').notNull(),
    fileName: text('file_name'),
    actorType: text('actor_type').notNull(),
    /** The feed head when the preview was made: a commit is refused once the head moved. */
    baselineRevisionId: text('baseline_revision_id'),
    commitStatus: text('commit_status').$type<'PREVIEW' | 'COMMITTED' | 'REJECTED'>().notNull(),
    validationStatus: text('validation_status')
      .$type<'VALID' | 'INVALID' | 'PARTIALLY_VALID'>()
      .notNull(),
    parsedCount: integer('parsed_count').notNull(),
    rejectedCount: integer('rejected_count').notNull(),
    warningCount: integer('warning_count').notNull(),
    observedAt: timestamptz('observed_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    committedAt: timestamptz('committed_at'),
  },
  (t) => [
    uniqueIndex('modular_feed_revisions_revision_key').on(t.inventorySourceId, t.revisionId),
    uniqueIndex('modular_feed_revisions_idempotency_key').on(t.inventorySourceId, t.idempotencyKey),
  ],
);

/** A previewed revision's normalized avails, written in batches as the file streams in. */
export const modularStagedAvails = pgTable(
  'modular_staged_avails',
  {
    revisionRowId: text('revision_row_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    avail: jsonb('avail').$type<AvailRecord>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.revisionRowId, t.rowNumber] }),
    // An avail id once per revision: the database, not a set in memory, finds a row repeating
    // an earlier one (feeds/preview.ts), so a preview holds its current batch only.
    uniqueIndex('modular_staged_avails_avail_key').on(
      t.revisionRowId,
      sql`(${t.avail}->>'availId')`,
    ),
  ],
);

/** Rows a preview refused or warned about, each with its diagnostics (row, column, value, why). */
export const modularRowDiagnostics = pgTable(
  'modular_row_diagnostics',
  {
    revisionRowId: text('revision_row_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    refused: integer('refused').notNull(),
    rawRow: jsonb('raw_row').$type<Record<string, unknown>>().notNull(),
    diagnostics: jsonb('diagnostics').$type<RowDiagnostic[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.revisionRowId, t.rowNumber] })],
);

/** Normalized avails; capacity is settled here by conditional updates (ledger/store.ts). */
export const modularAvails = pgTable(
  'modular_avails',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    availId: text('avail_id').notNull(),
    collectionId: text('collection_id').notNull(),
    collectionName: text('collection_name').notNull(),
    collectionDescription: text('collection_description'),
    name: text('name').notNull(),
    channel: text('channel'),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time').notNull(),
    impressionsCapacity: bigintNumber('impressions_capacity').notNull(),
    upstreamBooked: bigintNumber('upstream_booked').notNull().default(0),
    held: bigintNumber('held').notNull().default(0),
    booked: bigintNumber('booked').notNull().default(0),
    cpm: numeric('cpm', { precision: 14, scale: 4, mode: 'number' }),
    currency: text('currency'),
    formatOptions: jsonb('format_options').$type<AvailRecord['formatOptions']>().notNull(),
    publisherProperties: jsonb('publisher_properties')
      .$type<AvailRecord['publisherProperties']>()
      .notNull(),
    targeting: jsonb('targeting').$type<Record<string, unknown>>().notNull().default({}),
    /** ISO countries it sells in (the sheet's Market column); empty: not said. */
    countries: jsonb('countries').$type<string[]>().notNull().default([]),
    /** Who it reaches and what it is about, in the seller's words (its own, else its collection's). */
    audience: text('audience'),
    content: text('content'),
    sourceMetadata: jsonb('source_metadata').$type<Record<string, unknown>>().notNull().default({}),
    revisionId: text('revision_id').notNull(),
    active: boolean('active').notNull().default(true),
    /** A sandbox buyer's seeded product (its id; sandbox/fixtures.ts); null: the seller's own. */
    sandboxCustomerId: integer('sandbox_customer_id'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('modular_avails_avail_key').on(t.inventorySourceId, t.availId),
    index('modular_avails_selling_idx').on(t.inventorySourceId, t.active, t.endTime),
    check('modular_avails_counts_check', sql`${t.held} >= 0 and ${t.booked} >= 0`),
  ],
);

/** The booking ledger: capacity held for, then booked by, a package of a media buy. */
export const modularBookings = pgTable(
  'modular_bookings',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    availRowId: bigintNumber('avail_row_id').notNull(),
    availId: text('avail_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    packageId: text('package_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    requestedImpressions: bigintNumber('requested_impressions').notNull(),
    status: text('status').$type<'HELD' | 'BOOKED' | 'RELEASED' | 'CANCELLED'>().notNull(),
    holdExpiresAt: timestamptz('hold_expires_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('modular_bookings_package_key').on(t.inventorySourceId, t.mediaBuyId, t.packageId),
    index('modular_bookings_expiry_idx').on(t.status, t.holdExpiresAt),
  ],
);

/** Media buys placed on a modular source through the source port (the source's own records). */
export const modularBuys = pgTable(
  'modular_buys',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** AdCP media-buy status as the source reports it. */
    status: text('status').notNull(),
    /** The task buyers follow while the booking waits for a human (null when booked at once). */
    taskId: text('task_id'),
    taskStatus: text('task_status'),
    taskError: jsonb('task_error').$type<{ code: string; message: string }>(),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time').notNull(),
    packages: jsonb('packages').$type<BuyPackage[]>().notNull(),
    handoff: jsonb('handoff').$type<BuyHandoff>().notNull().default({}),
    /** What the buyer sent, kept for the operator's work items. */
    brandDomain: text('brand_domain'),
    poNumber: text('po_number'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('modular_buys_idempotency_key').on(
      t.inventorySourceId,
      t.buyerCustomerId,
      t.idempotencyKey,
    ),
    uniqueIndex('modular_buys_task_key').on(t.taskId),
  ],
);

/** Source-side human work: what no module automates, listed, claimed and completed. */
export const modularWorkItems = pgTable(
  'modular_work_items',
  {
    id: text('id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    moduleRowId: bigintNumber('module_row_id'),
    stage: text('stage').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status').$type<WorkItemStatus>().notNull().default('OPEN'),
    priority: text('priority').notNull().default('NORMAL'),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    mediaBuyId: text('media_buy_id'),
    buyerCustomerId: integer('buyer_customer_id'),
    assignedTo: text('assigned_to'),
    dueAt: timestamptz('due_at'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    result: jsonb('result').$type<Record<string, unknown>>().notNull().default({}),
    blockedReason: text('blocked_reason'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id'),
    completedBy: text('completed_by'),
    completedAt: timestamptz('completed_at'),
    ...timestamps(),
  },
  (t) => [
    // One item per kind and resource: opening it twice (a retried buy) finds the first.
    uniqueIndex('modular_work_items_resource_key').on(
      t.inventorySourceId,
      t.kind,
      t.resourceType,
      t.resourceId,
    ),
    index('modular_work_items_queue_idx').on(t.inventorySourceId, t.status),
    // The storefront's whole queue (work-items/storefront-queue.ts).
    index('modular_work_items_storefront_idx').on(t.storefrontId, t.status),
  ],
);
export type WorkItemStatus = 'OPEN' | 'IN_PROGRESS' | 'BLOCKED' | 'COMPLETED' | 'CANCELLED';

export const modularWorkItemEvents = pgTable(
  'modular_work_item_events',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    workItemId: text('work_item_id').notNull(),
    eventType: text('event_type').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    notes: text('notes'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('modular_work_item_events_item_idx').on(t.workItemId)],
);

/**
 * Delivery from the publisher's uploaded reports, per buy, package and day: what the source
 * reports, viewability included when the seller measured it. A day's row is replaced by a later
 * report of that day (a correction), never added to; `reportId` names the revision that last set it.
 */
export const modularDelivery = pgTable(
  'modular_delivery',
  {
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyId: text('buy_id').notNull(),
    packageId: text('package_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    impressions: bigintNumber('impressions').notNull(),
    clicks: bigintNumber('clicks').notNull().default(0),
    spend: numeric('spend', { precision: 16, scale: 4, mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    ...viewabilityColumns(),
    /** The final-report work item the day came with (none for an interim report). */
    workItemId: text('work_item_id'),
    reportId: text('report_id'),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.buyId, t.packageId, t.day] })],
);

/** A package's figures for one day, as a revision records them before and after. */
export interface DayFigures {
  impressions: number;
  clicks: number;
  spend: number;
}

/**
 * Every delivery report uploaded for a buy, numbered per buy (1, 2, …): interim during the
 * flight, final after it; who sent it, when, the days it covered, the buy's totals before and
 * after, each day it changed (before and after; days it added are only counted) and any
 * overdelivery the seller confirmed. The buyer reads them with the delivery (AdCP ext).
 */
export const modularDeliveryReports = pgTable(
  'modular_delivery_reports',
  {
    id: text('id').primaryKey(),
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    buyId: text('buy_id').notNull(),
    revision: integer('revision').notNull(),
    kind: text('kind').$type<'interim' | 'final'>().notNull(),
    /** It changed days an earlier report had given (AdCP is_adjusted). */
    adjusted: boolean('adjusted').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamptz('uploaded_at').notNull().defaultNow(),
    firstDay: date('first_day', { mode: 'string' }).notNull(),
    lastDay: date('last_day', { mode: 'string' }).notNull(),
    rowCount: integer('row_count').notNull(),
    addedDays: integer('added_days').notNull(),
    currency: text('currency').notNull(),
    totalsBefore: jsonb('totals_before').$type<DayFigures>().notNull(),
    totalsAfter: jsonb('totals_after').$type<DayFigures>().notNull(),
    changes: jsonb('changes')
      .$type<Array<{ packageId: string; date: string; before: DayFigures; after: DayFigures }>>()
      .notNull(),
    overdelivery: jsonb('overdelivery').$type<Record<string, unknown>[]>().notNull(),
    notes: text('notes'),
    workItemId: text('work_item_id'),
  },
  (t) => [uniqueIndex('modular_delivery_reports_revision_key').on(t.buyId, t.revision)],
);
