import { doublePrecision, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/**
 * Read-only projections of other modules' tables: the columns the storefront's media-buy views
 * read, and no more. Not in a tables.ts (drizzle-kit must not see them: their owners migrate
 * them). Nothing writes through these.
 */

export interface ForwardLegRead {
  sourceId: string;
  status: 'completed' | 'submitted' | 'failed' | 'unknown';
  upstreamMediaBuyId?: string;
  /** A submitted leg: the source's task for it (pending operations' awaitingSource). */
  upstreamTaskId?: string;
  mediaBuyStatus?: string;
  /** `budget`: as the source confirmed it after an update (orders' setPackageBudgets). */
  packages?: { packageId: string; upstreamPackageId: string; productId: string; budget?: number }[];
  error?: { code: string; message: string };
}

/** storefront_media_buys (module media-buys). */
export const storefrontMediaBuysRead = pgTable('storefront_media_buys', {
  id: bigintNumber('id').notNull(),
  storefrontId: integer('storefront_id').notNull(),
  buyerCustomerId: integer('buyer_customer_id').notNull(),
  mediaBuyId: text('media_buy_id').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  submittedPayload: jsonb('submitted_payload').$type<Record<string, unknown>>().notNull(),
  /** The packages as routed to the sources (a packaged product split), when they differ. */
  routedPackages: jsonb('routed_packages').$type<Array<Record<string, unknown>>>(),
  approvalMode: text('approval_mode').notNull(),
  approvalStatus: text('approval_status'),
  reviewedBy: text('reviewed_by'),
  reviewedAt: timestamptz('reviewed_at'),
  reviewerNotes: text('reviewer_notes'),
  forwardOutcome: text('forward_outcome'),
  forwardResult: jsonb('forward_result').$type<ForwardLegRead[]>(),
  forwardError: text('forward_error'),
  forwardedAt: timestamptz('forwarded_at'),
  createdAt: timestamptz('created_at').notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
});

/** customers (module identity): the buyer's display name. */
export const customersRead = pgTable('customers', {
  id: integer('id').notNull(),
  name: text('name').notNull(),
});

/** campaign_media_buys (module campaigns): a buyer's campaign buys, and which storefront buy each is. */
export const campaignMediaBuysRead = pgTable('campaign_media_buys', {
  id: text('id').notNull(),
  customerId: integer('customer_id').notNull(),
  campaignId: text('campaign_id').notNull(),
  advertiserId: integer('advertiser_id').notNull(),
  salesAgentName: text('sales_agent_name').notNull(),
  storefrontId: integer('storefront_id'),
  name: text('name').notNull(),
  status: text('status').notNull(),
  sellerMediaBuyId: text('seller_media_buy_id'),
  budget: doublePrecision('budget').notNull(),
  currency: text('currency').notNull(),
  startTime: timestamptz('start_time').notNull(),
  endTime: timestamptz('end_time').notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

/** storefronts (module storefronts): a storefront's display name and currency. */
export const storefrontsRead = pgTable('storefronts', {
  id: integer('id').notNull(),
  name: text('name').notNull(),
  defaultCurrency: text('default_currency'),
});
