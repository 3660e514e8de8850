import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';

/** Hosted asset types (createCreativeManifest `assets[].asset_type`). */
export type AssetType =
  | 'IMAGE'
  | 'VIDEO'
  | 'AUDIO'
  | 'HTML'
  | 'JAVASCRIPT'
  | 'CSS'
  | 'TEXT'
  | 'URL'
  | 'VAST'
  | 'FONT'
  | 'LOGO'
  | 'DOCUMENT';

/** A file a buyer uploaded; the bytes live in the asset store under `storage_key`. */
export const creativeAssets = pgTable(
  'creative_assets',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    /** `{customerId}/{id}`: the owner is part of the key in every store. */
    storageKey: text('storage_key').notNull(),
    originalFilename: text('original_filename').notNull(),
    assetType: text('asset_type').$type<AssetType>().notNull(),
    contentType: text('content_type').notNull(),
    fileSize: integer('file_size').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    /** Hosted asset_source: USER_UPLOADED, or SYSTEM_PROCESSED for a file we produced (AudioStack). */
    assetSource: text('asset_source')
      .$type<'USER_UPLOADED' | 'SYSTEM_PROCESSED'>()
      .notNull()
      .default('USER_UPLOADED'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('creative_assets_customer_idx').on(t.customerId, t.createdAt)],
);

/**
 * One slot of a manifest, as stored: an uploaded file (assetId), a file elsewhere (url), a
 * URL asset (url + urlType) or text (content). `slot` is the format's asset_id it fills.
 */
export interface ManifestSlot {
  slot: string;
  assetType: AssetType;
  assetId?: string;
  url?: string;
  urlType?: string;
  content?: string;
  width?: number;
  height?: number;
  durationMs?: number;
  label?: string;
  contentType?: string;
}

/** A buyer's creative manifest under a campaign (seed 004: creatives nest under campaigns). */
export const campaignCreatives = pgTable(
  'campaign_creatives',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    name: text('name').notNull(),
    message: text('message'),
    formatId: jsonb('format_id').$type<Record<string, unknown>>(),
    formatKind: text('format_kind'),
    slots: jsonb('slots').$type<ManifestSlot[]>().notNull().default([]),
    industryIdentifiers: jsonb('industry_identifiers').$type<Record<string, unknown>[]>(),
    /**
     * Set by a delete that could not withdraw it from every seller: the creative is being
     * withdrawn, is sent to no seller again and cannot be changed; deleting again retries.
     */
    withdrawingSince: timestamptz('withdrawing_since'),
    /**
     * Set while one delete is asking the sellers (cleared when it ends; a stale one expires):
     * a concurrent delete of the same creative waits for its outcome instead of sending the
     * same requests under the same idempotency keys.
     */
    withdrawalClaimedAt: timestamptz('withdrawal_claimed_at'),
    /** Bumped by every change; sellers are sent a creative again when theirs is older. */
    revision: integer('revision').notNull().default(1),
    ...timestamps(),
  },
  (t) => [index('campaign_creatives_campaign_idx').on(t.customerId, t.campaignId, t.createdAt)],
);

/**
 * A creative at one storefront agent: whether sync_creatives took it (and which revision) and
 * the review status the seller reports (approved, rejected with a reason, pending_review …).
 */
export const creativePlacements = pgTable(
  'creative_placements',
  {
    creativeId: text('creative_id').notNull(),
    customerId: integer('customer_id').notNull(),
    agentId: text('agent_id').notNull(),
    agentName: text('agent_name').notNull(),
    /** synced: the agent took it; failed: the call or the creative failed (see reason). */
    syncState: text('sync_state').$type<'synced' | 'failed'>().notNull(),
    revision: integer('revision').notNull(),
    /** The seller's AdCP creative status: processing, pending_review, approved, rejected, archived. */
    approvalStatus: text('approval_status'),
    reason: text('reason'),
    syncedAt: timestamptz('synced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.creativeId, t.agentId] })],
);
