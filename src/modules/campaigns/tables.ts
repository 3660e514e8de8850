import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';
import type { CampaignStatus, MediaBuyStatus } from './status/statuses.js';

/** A campaign's signal ids (audienceConfig's targetSignalIds / suppressSignalIds). */
export interface CampaignSignalConfig {
  targetSignalIds?: string[];
  suppressSignalIds?: string[];
}

/** The write to a buy's seller whose outcome may still be unknown. */
export type PendingWrite = 'create' | 'update' | 'pause' | 'resume' | 'cancel';

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
  /**
   * The product's AdCP format_ids at booking: which creatives a package takes later (absent on
   * buys booked before it was kept, and for products listing no formats: any format).
   */
  formatIds?: Record<string, unknown>[];
  /** Canceled on its own (the buy's other packages go on); irreversible, as in AdCP. */
  canceled?: boolean;
  /** The pacing period the package was cut for (hosted PackagePacingPeriod), with its flight. */
  pacingPeriod?: { index: number; label?: string };
  startTime?: string;
  endTime?: string;
  /** AdCP pacing sent on the package (the campaign's budget.pacing). */
  pacing?: 'even' | 'asap' | 'front_loaded';
  /**
   * Ours, unique in the buy: names a package before its seller assigns packageId (the periods
   * of one product share its productId). Absent on buys booked before it was kept.
   */
  ref?: string;
  /** The AdCP optimization_goals sent on the package: those its product supports. */
  optimizationGoals?: Record<string, unknown>[];
  /**
   * The product's AdCP goal capabilities at booking (goals/optimization-goals.ts), for later
   * changes.
   */
  goalSupport?: GoalSupport;
}

/** What a product declares about optimization goals (AdCP product fields, as sent). */
export interface GoalSupport {
  metric_optimization?: Record<string, unknown>;
  conversion_tracking?: Record<string, unknown>;
  max_optimization_goals?: number;
}

/** A pacing period as stored (hosted PacingPeriods): dates are whole UTC days, inclusive. */
export interface PacingPeriod {
  label: string;
  start: string;
  end: string;
  weight?: number;
  budget?: number;
}

/** A campaign's pacing schedule: relative weights, or an explicit budget per period. */
export interface PacingPeriods {
  mode: 'weight' | 'budget';
  periods: PacingPeriod[];
}

/** A buyer-side frequency cap (hosted FrequencyCapConfigInput, AdCP's max_impressions + window). */
export interface CampaignFrequencyCap {
  id: string;
  max_impressions: number;
  window: { interval: number; unit: 'seconds' | 'minutes' | 'hours' | 'days' | 'campaign' };
  createdAt: string;
  updatedAt: string;
}

/** Hosted PerformanceConfig: the campaign's optimization goals (goals/optimization-goals.ts). */
export interface PerformanceConfig {
  optimizationGoals: Record<string, unknown>[];
}

/** A campaign's UTM parameter (hosted CampaignUtmConfig.params). */
export interface CampaignUtmParam {
  paramKey: string;
  paramValue: string;
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
    flightStart: timestamptz('flight_start').notNull(),
    flightEnd: timestamptz('flight_end').notNull(),
    budgetTotal: doublePrecision('budget_total').notNull(),
    currency: text('currency').notNull().default('USD'),
    dailyCap: doublePrecision('daily_cap'),
    pacing: text('pacing'),
    constraints: jsonb('constraints').$type<Record<string, unknown>>(),
    storefrontIds: jsonb('storefront_ids').$type<number[]>().notNull().default([]),
    discoveryId: text('discovery_id'),
    /** Null: one package per product over the whole flight. */
    pacingPeriods: jsonb('pacing_periods').$type<PacingPeriods>(),
    /** Null: the advertiser's caps apply (they flow down); [] clears them for this campaign. */
    frequencyCaps: jsonb('frequency_caps').$type<CampaignFrequencyCap[]>(),
    /** Campaign UTM parameters, over the advertiser's per key. */
    utmConfig: jsonb('utm_config').$type<CampaignUtmParam[]>().notNull().default([]),
    /** Hosted PerformanceConfig as given (optimization goals); null: none. */
    performanceConfig: jsonb('performance_config').$type<PerformanceConfig>(),
    /** AUTO or MANUAL; null: the advertiser's (it flows down). */
    optimizationApplyMode: text('optimization_apply_mode').$type<'AUTO' | 'MANUAL'>(),
    /**
     * Signals targeted and suppressed (audienceConfig, modules/registered-agents signals
     * targeting); null: none.
     */
    signalConfig: jsonb('signal_config').$type<CampaignSignalConfig>(),
    revision: integer('revision').notNull().default(1),
    ...timestamps(),
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
    /**
     * The seller's AdCP media-buy status and task state as last reported (status/statuses.ts
     * maps them).
     */
    adcpStatus: text('adcp_status'),
    taskState: text('task_state'),
    taskId: text('task_id'),
    sellerMediaBuyId: text('seller_media_buy_id'),
    /** The AdCP idempotency key of create_media_buy: one per (campaign, agent). */
    idempotencyKey: text('idempotency_key').notNull(),
    /** The AdCP account reference the buy was placed under (sent again on updates). */
    account: jsonb('account').$type<Record<string, unknown>>().notNull(),
    packages: jsonb('packages').$type<BookedPackage[]>().notNull(),
    /** AdCP optimization goals set on the buy itself (updateMediaBuy); null: the campaign's. */
    optimizationGoals: jsonb('optimization_goals').$type<Record<string, unknown>[]>(),
    budget: doublePrecision('budget').notNull(),
    currency: text('currency').notNull(),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    /** Set while one request is forwarding the buy; the claim is what makes executes exclusive. */
    claimToken: text('claim_token'),
    claimedAt: timestamptz('claimed_at'),
    forwardedAt: timestamptz('forwarded_at'),
    /** When status sync next asks the seller about the buy; null while it is not followed. */
    syncDueAt: timestamptz('sync_due_at'),
    /** Looks that learned nothing new since the last change: the backoff's exponent. */
    syncRound: integer('sync_round').notNull().default(0),
    /** When the seller last told us about the buy (a poll or a verified push notification). */
    syncedAt: timestamptz('synced_at'),
    /** The buyer's task (media_buy_tasks) for the seller operation still in flight, if any. */
    buyerTaskId: text('buyer_task_id'),
    /**
     * A write to the seller whose outcome is being established (sent, or about to be, and not
     * answered yet: its answer may have been lost to a crash or a timeout), its intent
     * (modules/seller-writes) and since when. Cleared once the outcome is recorded.
     */
    pendingWrite: text('pending_write').$type<PendingWrite>(),
    pendingWriteId: text('pending_write_id'),
    pendingWriteSince: timestamptz('pending_write_since'),
    revision: integer('revision').notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('campaign_media_buys_agent_key').on(t.campaignId, t.salesAgentId),
    index('campaign_media_buys_customer_idx').on(t.customerId, t.advertiserId, t.createdAt),
    index('campaign_media_buys_sync_idx').on(t.customerId, t.salesAgentId, t.syncDueAt),
  ],
);

/** The hosted task states a buyer polls (GET /api/v2/buyer/tasks/{taskId}). */
export type BuyerTaskStatus = 'submitted' | 'working' | 'input-required' | 'completed' | 'failed';

/**
 * A seller operation on a buy that did not settle in its answer (create/update_media_buy
 * answered submitted/working/input-required): the buyer's task, settled by status sync or a
 * push notification when the seller's task is.
 */
export const mediaBuyTasks = pgTable(
  'media_buy_tasks',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    mediaBuyId: text('media_buy_id').notNull(),
    taskType: text('task_type').$type<'media_buy_create' | 'media_buy_update'>().notNull(),
    status: text('status').$type<BuyerTaskStatus>().notNull(),
    /** The seller's task id (AdCP task_id) this task follows. */
    sellerTaskId: text('seller_task_id'),
    error: jsonb('error').$type<Record<string, unknown>>(),
    response: jsonb('response').$type<Record<string, unknown>>(),
    ...timestamps(),
  },
  (t) => [
    index('media_buy_tasks_buy_idx').on(t.mediaBuyId, t.createdAt),
    index('media_buy_tasks_customer_idx').on(t.customerId, t.createdAt),
  ],
);
