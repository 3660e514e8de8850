import type { AccountReference, CreateMediaBuyRequest } from '@adcp/sdk/types';
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/**
 * How one inventory source took its part of a media buy (the decide answer's `forwardResult[]`).
 * `unknown` (AdCP's task status for an indeterminate state): sent, and its answer lost (a crash,
 * a timeout, IDEMPOTENCY_EXPIRED): the storefront is establishing at the source whether it took
 * it (modules/seller-writes), and records the leg once it knows.
 */
export interface ForwardLeg {
  sourceId: string;
  status: 'completed' | 'submitted' | 'failed' | 'unknown';
  upstreamMediaBuyId?: string;
  /** A submitted leg: the source's task for it, followed up until the source settles it. */
  upstreamTaskId?: string;
  /** The media buy status the source answered with. */
  mediaBuyStatus?: string;
  /** What the source said its buyer may do next with it (AdCP valid_actions), if it said. */
  validActions?: string[];
  /**
   * Storefront package ids and what the source calls them; `budget`: the package's budget as
   * the source last confirmed it after an update_media_buy (read back from it), absent while it
   * stands as bought.
   */
  packages?: Array<{
    packageId: string;
    upstreamPackageId: string;
    productId: string;
    budget?: number;
  }>;
  /**
   * `field`: the request field the source named in its refusal (AdCP error.field), if any;
   * `details`: the numbers it gave with it (buyer-safe: sources' errors are scrubbed).
   */
  error?: { code: string; message: string; field?: string; details?: Record<string, unknown> };
  /**
   * The AdCP account the source was asked to place the buy under: follow-ups on it are asked
   * with exactly this (legs placed before it was recorded carry none).
   */
  account?: AccountReference;
}

/** A storefront buy as its buyer sent it (create_media_buy, validated by the agent's SDK). */
export type SubmittedBuy = Omit<CreateMediaBuyRequest, 'push_notification_config'>;
export type SubmittedPackage = NonNullable<CreateMediaBuyRequest['packages']>[number];

/**
 * One creative on a package as the buyer assigned it (core/creative-assignment.json: weight and
 * placement routing), and when it was first put there (list_creatives `assigned_date`).
 */
export interface StoredAssignment {
  creative_id: string;
  weight?: number;
  placement_ids?: string[];
  placement_refs?: unknown[];
  assigned_at?: string;
}

export type ForwardOutcome = 'all_completed' | 'partial' | 'all_failed' | 'precondition_failed';
/** archived: a creative its buyer withdrew (sync_creatives with status archived). */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'revoked' | 'archived';

/**
 * Media buys placed through a storefront's agent: the buyer's raw request, the approval gate's
 * state (manual mode only) and how each source took its packages. The buyer's
 * push-notification config is sealed apart from the operator-visible payload.
 */
export const storefrontMediaBuys = pgTable(
  'storefront_media_buys',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    accountId: text('account_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The buyer's create_media_buy as sent (its push-notification config sealed apart). */
    submittedPayload: jsonb('submitted_payload').$type<SubmittedBuy>().notNull(),
    /** The packages as routed when a packaged product was split into its components. */
    routedPackages: jsonb('routed_packages').$type<SubmittedPackage[]>(),
    /**
     * Creative assignments replaced by update_media_buy (replacement semantics), by storefront
     * package id; a package absent here carries what create_media_buy assigned it. Rows written
     * before weights were kept hold bare creative ids.
     */
    creativeAssignments: jsonb('creative_assignments')
      .$type<Record<string, Array<string | StoredAssignment>>>()
      .notNull()
      .default({}),
    /**
     * Creative ids a package took inline (its `creatives`) by update_media_buy, by storefront
     * package id; a package absent here carries the ones create_media_buy sent inline. A 3.1
     * update's `creatives` replaces exactly these (package-update.json).
     */
    inlineCreatives: jsonb('inline_creatives')
      .$type<Record<string, string[]>>()
      .notNull()
      .default({}),
    /** Targeting overlays changed by update_media_buy, by storefront package id. */
    targetingOverlays: jsonb('targeting_overlays')
      .$type<Record<string, Record<string, unknown>>>()
      .notNull()
      .default({}),
    pushConfigSealed: text('push_config_sealed'),
    approvalMode: text('approval_mode').$type<'auto' | 'manual'>().notNull(),
    approvalStatus: text('approval_status').$type<ApprovalStatus>(),
    taskId: text('task_id'),
    discoveryRunId: bigintNumber('discovery_run_id'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewerNotes: text('reviewer_notes'),
    forwardOutcome: text('forward_outcome').$type<ForwardOutcome>(),
    forwardResult: jsonb('forward_result').$type<ForwardLeg[]>(),
    forwardError: text('forward_error'),
    forwardedAt: timestamptz('forwarded_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('storefront_media_buys_key').on(t.storefrontId, t.mediaBuyId),
    index('storefront_media_buys_queue_idx').on(t.storefrontId, t.approvalStatus, t.createdAt),
    index('storefront_media_buys_buyer_idx').on(t.buyerCustomerId, t.storefrontId),
    // A buyer's retry of create_media_buy finds the buy its key recorded (media-buy-create.ts).
    index('storefront_media_buys_key_idx').on(t.storefrontId, t.buyerCustomerId, t.idempotencyKey),
  ],
);
