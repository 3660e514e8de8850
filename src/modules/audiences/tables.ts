import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import type { SyncAudiencesInput } from './schemas.js';

/** Hosted AudienceSummary status. */
export type AudienceStatus = 'PROCESSING' | 'ERROR' | 'READY' | 'TOO_SMALL';

/**
 * An advertiser's first-party audiences (hosted syncAudiences, AdCP sync_audiences).
 * `audienceId` is the buyer's own word, unique per advertiser, and is what campaigns target
 * and sellers are sent. Deleting keeps the row (`deleted`), so campaigns that named it still
 * say what it was.
 */
export const advertiserAudiences = pgTable(
  'advertiser_audiences',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    audienceId: text('audience_id').notNull(),
    name: text('name'),
    consentBasis: text('consent_basis'),
    status: text('status').$type<AudienceStatus>().notNull(),
    deleted: boolean('deleted').notNull().default(false),
    /** Members held (null until a sync has processed it). */
    uploadedCount: integer('uploaded_count'),
    /** The most members any seller matched (null until one said). */
    matchedCount: integer('matched_count'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('advertiser_audiences_key').on(t.advertiserId, t.audienceId)],
);

/**
 * An audience's members, by the buyer's external id. Identifiers are only ever SHA-256 hex
 * digests (hashed e-mail, hashed E.164 phone) or universal ids: raw e-mail addresses and phone
 * numbers are refused before anything is stored.
 */
export const audienceMembers = pgTable(
  'audience_members',
  {
    audienceRowId: bigintNumber('audience_row_id')
      .notNull()
      .references(() => advertiserAudiences.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    hashedEmail: text('hashed_email'),
    hashedPhone: text('hashed_phone'),
    uids: jsonb('uids').$type<Array<{ type: string; value: string }>>(),
  },
  (t) => [primaryKey({ columns: [t.audienceRowId, t.externalId] })],
);

export type AudienceSyncStatus = 'submitted' | 'working' | 'completed' | 'failed';

/** What a sync task has done so far (its task's metadata). */
export interface AudienceSyncProgress {
  totalMembers: number;
  processedMembers: number;
  /** Per agent that takes audiences: done, or why not. */
  sellers: Array<{
    salesAgentId: string;
    salesAgentName: string;
    status: 'answered' | 'failed';
    error?: string;
  }>;
}

/**
 * One audience sync (hosted 202 + taskId): the request as validated (hashed identifiers only),
 * worked by a durable job in chunks. `cursor` is how many of the request's operations were
 * applied, committed with them, so a run that dies resumes where it stopped; `leaseUntil` keeps
 * two runs (two instances, a retry racing a slow run) off one task.
 */
export const audienceSyncTasks = pgTable(
  'audience_sync_tasks',
  {
    id: uuid('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    /** The request's Idempotency-Key: a retry answers this task, never a second one. */
    idempotencyKey: text('idempotency_key'),
    status: text('status').$type<AudienceSyncStatus>().notNull(),
    request: jsonb('request').$type<SyncAudiencesInput>().notNull(),
    cursor: integer('cursor').notNull().default(0),
    progress: jsonb('progress').$type<AudienceSyncProgress>().notNull(),
    response: jsonb('response').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<Record<string, unknown>>(),
    leaseUntil: timestamptz('lease_until'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('audience_sync_tasks_idempotency_key').on(t.customerId, t.idempotencyKey),
    index('audience_sync_tasks_open_idx').on(t.status),
  ],
);

/**
 * Which sales agents took which audience (AdCP sync_audiences answered it), with what the
 * seller said: campaigns target an audience only at sellers that hold it.
 */
export const audienceDeliveries = pgTable(
  'audience_deliveries',
  {
    audienceRowId: bigintNumber('audience_row_id')
      .notNull()
      .references(() => advertiserAudiences.id, { onDelete: 'cascade' }),
    salesAgentId: text('sales_agent_id').notNull(),
    sellerStatus: text('seller_status'),
    matchedCount: integer('matched_count'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.audienceRowId, t.salesAgentId] })],
);

export type CampaignAudienceType = 'TARGET' | 'SUPPRESS';

/** A campaign's audienceConfig: the audiences it targets or suppresses. */
export const campaignAudiences = pgTable(
  'campaign_audiences',
  {
    campaignId: text('campaign_id').notNull(),
    audienceRowId: bigintNumber('audience_row_id')
      .notNull()
      .references(() => advertiserAudiences.id),
    type: text('type').$type<CampaignAudienceType>().notNull(),
    enabledAt: timestamptz('enabled_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.audienceRowId] })],
);
