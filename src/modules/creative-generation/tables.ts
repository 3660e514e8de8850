import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/*
 * Creative generation with the buyer's own provider account (hosted "model credentials"): a
 * buyer connects a generation provider's API key for its advertisers, and asks for creatives
 * made with it. AudioStack (audio from a script and a voice) is the provider built here.
 */

/** A buyer's API key at a generation provider; the key is sealed, only a hint is kept clear. */
export const buyerModelCredentials = pgTable(
  'buyer_model_credentials',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    providerType: text('provider_type').notNull(),
    label: text('label').notNull(),
    /** The API key sealed with `buyer_model_credential:{id}` as context; '' once revoked. */
    keySealed: text('key_sealed').notNull(),
    /** The key's last four characters behind dots, for the buyer to recognise it. */
    maskedKey: text('masked_key'),
    /** The advertisers (ids) it is assigned to; isDefault: every advertiser of the customer. */
    advertiserIds: jsonb('advertiser_ids').$type<number[]>().notNull().default([]),
    isDefault: boolean('is_default').notNull().default(false),
    /** ACTIVE · ERROR (the provider refused it during a production) · REVOKED. */
    status: text('status').$type<'ACTIVE' | 'ERROR' | 'REVOKED'>().notNull(),
    connectedBy: integer('connected_by'),
    ...timestamps(),
  },
  (t) => [index('buyer_model_credentials_customer_idx').on(t.customerId, t.providerType)],
);

/** The AudioStack objects a production made so far: a retry resumes from them. */
export interface AudioStackRefs {
  scriptId?: string;
  speechId?: string;
  productionId?: string;
  encoderId?: string;
  /** Where the encoded file can be downloaded (AudioStack's delivery URL). */
  fileUrl?: string;
}

export type ProductionStatus = 'QUEUED' | 'PROCESSING' | 'READY' | 'FAILED';

/**
 * An audio creative asked of AudioStack: script, voice and sound, worked by a durable job
 * through AudioStack's steps (script, speech, mix, encode) into an asset of ours.
 */
export const audioProductions = pgTable(
  'audio_productions',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    /** The credential it runs with, chosen when it was asked for. */
    credentialId: bigintNumber('credential_id').notNull(),
    name: text('name').notNull(),
    script: text('script').notNull(),
    voice: text('voice').notNull(),
    soundTemplate: text('sound_template'),
    masteringPreset: text('mastering_preset').notNull(),
    status: text('status').$type<ProductionStatus>().notNull(),
    /** The step being worked on: script, speech, mix, encode, download. */
    step: text('step').notNull(),
    refs: jsonb('refs').$type<AudioStackRefs>().notNull().default({}),
    /**
     * A step whose create was sent without its answer being saved: before sending it again the
     * job looks at AudioStack for what that create made, so a lost answer is never billed twice.
     */
    sentStep: text('sent_step'),
    assetId: text('asset_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    ...timestamps(),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [index('audio_productions_advertiser_idx').on(t.customerId, t.advertiserId, t.createdAt)],
);
