import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';
import type { GradedFailure, GradedTrack } from './runs/grading.js';
import type { RunnerObservation } from './runner/types.js';

/**
 * Compliance runs of inventory sources: every run is kept (GET /api/v2/storefront/test-runs).
 * A run is queued, then running, then finished as `completed` (graded: `passed`), `unreachable`,
 * `auth_required` or `error`. At most one run of a source waits in the queue at a time
 * (compliance_runs_one_queued); refreshing while one waits answers that one.
 */
export const complianceRuns = pgTable(
  'compliance_runs',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    runUid: uuid('run_uid').notNull(),
    /** The seller customer whose storefront the source belongs to. */
    customerId: integer('customer_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    /** The source's global row id; `source_id`, `agent_id` and `agent_url` are as they were. */
    inventorySourceId: bigintNumber('inventory_source_id').notNull(),
    sourceId: text('source_id').notNull(),
    agentId: text('agent_id').notNull(),
    agentUrl: text('agent_url').notNull(),
    protocol: text('protocol').$type<'MCP' | 'A2A'>().notNull(),
    trigger: text('trigger').$type<'registration' | 'refresh' | 'schedule'>().notNull(),
    /** Whose credential the runner presents: the storefront's, a buyer's, or none. */
    credential: text('credential').$type<'storefront' | 'buyer' | 'none'>(),
    buyerCustomerId: integer('buyer_customer_id'),
    requestedBy: integer('requested_by'),
    status: text('status')
      .$type<'queued' | 'running' | 'completed' | 'unreachable' | 'auth_required' | 'error'>()
      .notNull(),
    passed: boolean('passed'),
    summary: text('summary'),
    storyboards: jsonb('storyboards').$type<string[]>().notNull(),
    tracks: jsonb('tracks').$type<GradedTrack[]>(),
    failures: jsonb('failures').$type<GradedFailure[]>(),
    observations: jsonb('observations').$type<RunnerObservation[]>(),
    error: text('error'),
    durationMs: integer('duration_ms'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    checkedAt: timestamptz('checked_at'),
  },
  (t) => [
    uniqueIndex('compliance_runs_uid_key').on(t.runUid),
    uniqueIndex('compliance_runs_one_queued')
      .on(t.inventorySourceId)
      .where(sql`${t.status} = 'queued'`),
    index('compliance_runs_storefront_idx').on(t.storefrontId, t.id),
    index('compliance_runs_source_idx').on(t.inventorySourceId, t.id),
  ],
);

/**
 * A seller's compliance settings per source: whether the storyboards that book, change or
 * traffic buys may run at a source that declares no sandbox (the seller vouches that it honours
 * `sandbox: true`, or accepts what a run books there). Who set it and when is kept here, and
 * the change is in the activity log.
 */
export const complianceSourceSettings = pgTable('compliance_source_settings', {
  /** The source's global row id. */
  inventorySourceId: bigintNumber('inventory_source_id').primaryKey(),
  storefrontId: integer('storefront_id').notNull(),
  allowBookingStoryboards: boolean('allow_booking_storyboards').notNull().default(false),
  updatedBy: integer('updated_by'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});
