import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CampaignStatus, MediaBuyStatus } from './status.js';

/** A package as booked: the selection it came from, frozen at execution (medusa: copies at booking). */
export interface BookedPackage {
  productId: string;
  productName: string;
  pricingOptionId: string;
  pricingModel?: string;
  budget: number;
  bidPrice?: number;
  /** The seller's package id once booked. */
  packageId?: string;
  /** The seller's package state: paused/canceled as last reported or set. */
  paused?: boolean;
}

/** A buyer's campaign (seed 004): a brief, a flight and a budget, booked as media buys. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<CampaignStatus>().notNull().default('DRAFT'),
    brief: text('brief'),
    flightStart: timestamp('flight_start', { withTimezone: true }).notNull(),
    flightEnd: timestamp('flight_end', { withTimezone: true }).notNull(),
    budgetTotal: doublePrecision('budget_total').notNull(),
    currency: text('currency').notNull().default('USD'),
    dailyCap: doublePrecision('daily_cap'),
    pacing: text('pacing'),
    constraints: jsonb('constraints').$type<Record<string, unknown>>(),
    storefrontIds: jsonb('storefront_ids').$type<number[]>().notNull().default([]),
    discoveryId: text('discovery_id'),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaigns_customer_idx').on(t.customerId, t.createdAt)],
);

/**
 * A campaign's media buy on one storefront agent. The (campaign, agent) key is claimed in the
 * database before the agent is called (claim_token), so concurrent executes book once per agent.
 */
export const campaignMediaBuys = pgTable(
  'campaign_media_buys',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    salesAgentId: text('sales_agent_id').notNull(),
    salesAgentName: text('sales_agent_name').notNull(),
    /** Null for a remote agent (a buyer's own, registered by URL): it belongs to no storefront. */
    storefrontId: integer('storefront_id'),
    name: text('name').notNull(),
    status: text('status').$type<MediaBuyStatus>().notNull().default('DRAFT'),
    /** Why a buy is not delivering yet (hosted pendingReason), from the mapping table. */
    pendingReason: text('pending_reason'),
    /** The seller's AdCP media-buy status and task state as last reported (status.ts maps them). */
    adcpStatus: text('adcp_status'),
    taskState: text('task_state'),
    taskId: text('task_id'),
    sellerMediaBuyId: text('seller_media_buy_id'),
    /** The AdCP idempotency key of create_media_buy: one per (campaign, agent). */
    idempotencyKey: text('idempotency_key').notNull(),
    /** The AdCP account reference the buy was placed under (sent again on updates). */
    account: jsonb('account').$type<Record<string, unknown>>().notNull(),
    packages: jsonb('packages').$type<BookedPackage[]>().notNull(),
    budget: doublePrecision('budget').notNull(),
    currency: text('currency').notNull(),
    startTime: timestamp('start_time', { withTimezone: true }).notNull(),
    endTime: timestamp('end_time', { withTimezone: true }).notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    /** Set while one request is forwarding the buy; the claim is what makes executes exclusive. */
    claimToken: text('claim_token'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaign_media_buys_agent_key').on(t.campaignId, t.salesAgentId),
    index('campaign_media_buys_customer_idx').on(t.customerId, t.advertiserId, t.createdAt),
  ],
);
