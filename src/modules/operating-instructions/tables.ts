import { sql } from 'drizzle-orm';
import type { Posture } from '../postures/index.js';
import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/**
 * Operating instructions: immutable, numbered versions of a storefront's markdown rulebook.
 * The database holds both invariants: versions are unique per storefront, and at most one
 * version per storefront is active (a partial unique index).
 */
export const operatingInstructions = pgTable(
  'operating_instructions',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    notes: text('notes'),
    /**
     * The negotiation posture this version pins (issue 47): while the version is active it wins
     * over any posture history recommends; null pins none.
     */
    posture: text('posture').$type<Posture>(),
    isActive: boolean('is_active').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: integer('created_by'),
  },
  (t) => [
    uniqueIndex('operating_instructions_version_key').on(t.storefrontId, t.version),
    uniqueIndex('operating_instructions_active_key')
      .on(t.storefrontId)
      .where(sql`${t.isActive}`),
  ],
);

/**
 * The last version number handed out per storefront. Incrementing it with an upsert takes a
 * row lock, so concurrent saves get distinct versions without retries; activation locks the
 * same row so two activations of one storefront run one after the other.
 */
export const operatingInstructionCounters = pgTable('operating_instruction_counters', {
  storefrontId: integer('storefront_id').primaryKey(),
  lastVersion: integer('last_version').notNull(),
});
