import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import type { CreativeAsset } from '@adcp/sdk/types';
import type { ApprovalStatus, ForwardLeg } from '../orders/index.js';

/**
 * A creative's state in a storefront's library: a review queue's (pending, approved, rejected,
 * revoked) or the buyer's archive, and AdCP 3.1's `suspended` (enums/creative-status.json: an
 * approved creative temporarily ineligible for delivery while a dependency, such as a
 * published post's authorization, is lost; it returns to approved or goes on to rejected).
 */
export type CreativeStatus = ApprovalStatus | 'suspended';

/**
 * Creatives buyers synced through a storefront's agent, with the review gate's state. The
 * library is per buyer (creative ids are the buyers' own, and two buyers may pick the same);
 * the operator addresses a review by its own `reviewId`, unique on the storefront.
 */
export const storefrontCreatives = pgTable(
  'storefront_creatives',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    /** `crv_…`, minted on the first sync and kept across re-syncs. */
    reviewId: text('review_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    creativeId: text('creative_id').notNull(),
    mediaBuyId: text('media_buy_id'),
    accountId: text('account_id').notNull(),
    /** The creative as the buyer's sync_creatives sent it (validated against creative-asset.json). */
    submittedPayload: jsonb('submitted_payload').$type<CreativeAsset>().notNull(),
    status: text('status').$type<CreativeStatus>().notNull(),
    /**
     * Why the seller last moved the creative (enums/creative-event-reason-code.json, e.g.
     * `identity_authorization_expired` for a suspension), and when; null until a seller-side
     * move (the test controller's) sets them.
     */
    statusReason: text('status_reason'),
    statusChangedAt: timestamptz('status_changed_at'),
    /**
     * AdCP 3.1's purge (creative/creative-purged-webhook.json): when the seller destroyed the
     * creative, how (`soft` keeps a tombstone list_creatives shows with include_purged; `hard`
     * keeps no content at all, only what keeps its buys honest) and why (a creative-event reason
     * code). Null on a creative in the library. `status` stays the last one before the purge.
     */
    purgedAt: timestamptz('purged_at'),
    purgeKind: text('purge_kind').$type<'soft' | 'hard'>(),
    purgeReason: text('purge_reason'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewerNotes: text('reviewer_notes'),
    forwardResult: jsonb('forward_result').$type<ForwardLeg[]>(),
    forwardedAt: timestamptz('forwarded_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('storefront_creatives_key').on(t.storefrontId, t.buyerCustomerId, t.creativeId),
    uniqueIndex('storefront_creatives_review_key').on(t.storefrontId, t.reviewId),
    index('storefront_creatives_queue_idx').on(t.storefrontId, t.status, t.createdAt),
  ],
);
