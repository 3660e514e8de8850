import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CreativeAsset } from '@adcp/sdk/types';
import type { ApprovalStatus, ForwardLeg } from '../orders/index.js';

/**
 * Creatives buyers synced through a storefront's agent, with the review gate's state. The
 * library is per buyer (creative ids are the buyers' own, and two buyers may pick the same);
 * the operator addresses a review by its own `reviewId`, unique on the storefront.
 */
export const storefrontCreatives = pgTable(
  'storefront_creatives',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    /** `crv_…`, minted on the first sync and kept across re-syncs. */
    reviewId: text('review_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id').notNull(),
    creativeId: text('creative_id').notNull(),
    mediaBuyId: text('media_buy_id'),
    accountId: text('account_id').notNull(),
    /** The creative as the buyer's sync_creatives sent it (validated against creative-asset.json). */
    submittedPayload: jsonb('submitted_payload').$type<CreativeAsset>().notNull(),
    status: text('status').$type<ApprovalStatus>().notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewerNotes: text('reviewer_notes'),
    forwardResult: jsonb('forward_result').$type<ForwardLeg[]>(),
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('storefront_creatives_key').on(t.storefrontId, t.buyerCustomerId, t.creativeId),
    uniqueIndex('storefront_creatives_review_key').on(t.storefrontId, t.reviewId),
    index('storefront_creatives_queue_idx').on(t.storefrontId, t.status, t.createdAt),
  ],
);
