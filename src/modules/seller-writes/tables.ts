import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';

/** Where an intent stands: open until its outcome is known and recorded on its subject. */
export type IntentState = 'open' | 'settled';

/**
 * How an intent settled: the seller answered the call that carried it (`answered`) or refused
 * it (`refused`); or, established afterwards, its subject already recorded the outcome
 * (`recorded`), the target holds what it asked for (`found`), or the request was sent again
 * under its key and answered (`resent`) or refused (`resent_refused`); or a later write of the
 * same key replaced it before it was sent (`superseded`).
 */
export type IntentOutcome =
  'answered' | 'refused' | 'recorded' | 'found' | 'resent' | 'resent_refused' | 'superseded';

/**
 * A write to a seller (a create, update, pause, resume or cancel of a buy, a creative sync),
 * recorded before it is sent: what was sent, under which idempotency key, to whom, about what.
 * One row per (kind, target, key): a write sent again under its key is the same intent. An
 * open intent whose lease ran out belongs to nobody alive (its process died, or its call's
 * answer was lost): recovery establishes its outcome at the target before anything is sent
 * again (modules/seller-writes, the kind's resolver).
 */
export const sellerWriteIntents = pgTable(
  'seller_write_intents',
  {
    id: text('id').primaryKey(),
    /** Whose resolver establishes it: `campaign.create_media_buy`, `storefront.update_media_buy`… */
    kind: text('kind').notNull(),
    /** What the write is about, in the kind's own terms (a media buy's id). */
    subjectId: text('subject_id').notNull(),
    /** The buyer customer the write is made for. */
    customerId: integer('customer_id').notNull(),
    /** Where it goes: an agent id, or a storefront's source (`{storefrontId}/{sourceId}`). */
    target: text('target').notNull(),
    tool: text('tool').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Exactly what was sent, without credentials (push-notification settings are left out). */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    /** What the write leaves at the target once applied, for a look-up (the kind's to read). */
    expect: jsonb('expect').$type<Record<string, unknown>>(),
    state: text('state').$type<IntentState>().notNull().default('open'),
    outcome: text('outcome').$type<IntentOutcome>(),
    /** Calls and looks made for it so far (the backoff's exponent once it is unknown). */
    attempts: integer('attempts').notNull().default(0),
    /** Who is working on it now (the caller, or a recovery run), until leaseUntil. */
    leaseToken: text('lease_token'),
    leaseUntil: timestamptz('lease_until'),
    /** When recovery may look at it (once no lease holds it). */
    dueAt: timestamptz('due_at').notNull(),
    /**
     * The target ran it and answered out of its own schema (verdict.ts `resend: false`): its key
     * may not hold the outcome, so recovery only looks it up and never sends it again.
     */
    resendBlocked: boolean('resend_blocked').notNull().default(false),
    /** Why its outcome is not known yet (the last call's or look's error). */
    lastError: text('last_error'),
    ...timestamps(),
    settledAt: timestamptz('settled_at'),
  },
  (t) => [
    uniqueIndex('seller_write_intents_key').on(t.kind, t.target, t.idempotencyKey),
    index('seller_write_intents_subject_idx').on(t.subjectId),
    index('seller_write_intents_due_idx').on(t.state, t.dueAt),
  ],
);
