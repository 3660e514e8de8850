import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';
import type { MediaBuyStatus } from '../campaigns/index.js';

/**
 * Read-only projections of the campaigns module's tables: the columns delivery import reads
 * (store.ts), and no more. Deliberately not in tables.ts (drizzle-kit must not see them:
 * campaigns migrates them). Nothing writes through these.
 */

/** campaigns (module campaigns). */
export const campaignsRead = pgTable('campaigns', {
  id: text('id').notNull(),
  customerId: integer('customer_id').notNull(),
});

/** campaign_media_buys (module campaigns). */
export const campaignMediaBuysRead = pgTable('campaign_media_buys', {
  id: text('id').notNull(),
  customerId: integer('customer_id').notNull(),
  campaignId: text('campaign_id').notNull(),
  advertiserId: integer('advertiser_id').notNull(),
  salesAgentId: text('sales_agent_id').notNull(),
  status: text('status').$type<MediaBuyStatus>().notNull(),
  sellerMediaBuyId: text('seller_media_buy_id'),
  account: jsonb('account').$type<Record<string, unknown>>().notNull(),
  currency: text('currency').notNull(),
  startTime: timestamptz('start_time').notNull(),
  endTime: timestamptz('end_time').notNull(),
  createdAt: timestamptz('created_at').notNull(),
});
