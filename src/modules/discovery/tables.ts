import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/** What the buyer asked, kept so browsing and refining re-read it (camelCase, as on the wire). */
export interface DiscoveryAsk {
  brief?: string;
  channels?: string[];
  countries?: string[];
  budget?: number;
  flightDates?: { startDate: string; endDate: string };
  publisherDomain?: string;
  pricingModel?: string;
  storefrontIds?: number[];
  storefrontNames?: string[];
}

/** One product as an agent offered it, reduced to what browsing, selection and execution read. */
export interface DiscoveredProduct {
  productId: string;
  name: string;
  description?: string;
  channels: string[];
  deliveryType?: 'guaranteed' | 'non_guaranteed';
  formatTypes: string[];
  /** The first CPM-denominated price (fixed, else floor), for sorting and the price range. */
  cpm?: number;
  currency?: string;
  briefRelevance?: string;
  expiresAt?: string;
  publisherDomains: string[];
  /** AdCP pricing_options as the agent sent them (pricing_option_id, model, fixed or floor). */
  pricingOptions: Record<string, unknown>[];
  /** AdCP format_ids, sent back on create_media_buy. */
  formatIds: unknown[];
  /**
   * What the product declares about optimization goals, as the agent sent it (AdCP
   * metric_optimization, conversion_tracking, max_optimization_goals); absent: nothing.
   */
  optimization?: Record<string, unknown>;
}

/** An inventory source a storefront left out of its answer, as it said in its `errors[]`. */
export interface SourceIssue {
  sourceId: string;
  sourceName?: string;
  /** The storefront's reason: not_connected, timeout, tool_error, unauthorized, … */
  reason: string;
  code: string;
  message: string;
  suggestion?: string;
}

/** Kept per agent and round beside its products (buyer_discovery_agents.notes). */
export interface AgentNotes {
  sourceIssues?: SourceIssue[];
  /** The positions, in the request's refine array, of the entries this agent was sent. */
  refineIndexes?: number[];
  /** The agent's AdCP refinement_applied, matched by position to the entries it was sent. */
  refinementApplied?: Record<string, unknown>[];
}

export interface DiscoveredProposal {
  proposalId: string;
  name: string;
  description?: string;
  allocations: { productId: string; allocationPercentage: number; pricingOptionId?: string }[];
}

/** A buyer's discovery session (hosted `discoveryId`): one per brief, refined in place. */
export const buyerDiscoveries = pgTable(
  'buyer_discoveries',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    advertiserId: integer('advertiser_id').notNull(),
    campaignId: text('campaign_id'),
    ask: jsonb('ask').$type<DiscoveryAsk>().notNull(),
    revision: integer('revision').notNull().default(1),
    /**
     * The round whose agent rows are the session's answers. A round writes its rows as agents
     * answer, under its own id, and becomes current in one small update when all have answered,
     * so a reader never sees a round half-written. Rows from before rounds had ids carry ''.
     */
    roundId: text('round_id').notNull().default(''),
    ...timestamps(),
  },
  (t) => [index('buyer_discoveries_customer_idx').on(t.customerId, t.createdAt)],
);

/** Each agent's answer in a session: its products (or why it gave none), re-read when browsing. */
export const buyerDiscoveryAgents = pgTable(
  'buyer_discovery_agents',
  {
    discoveryId: text('discovery_id').notNull(),
    /** The round this answer belongs to (see buyerDiscoveries.roundId). */
    roundId: text('round_id').notNull().default(''),
    agentId: text('agent_id').notNull(),
    agentName: text('agent_name').notNull(),
    /** Null for a remote agent (a buyer's own, registered by URL): it belongs to no storefront. */
    storefrontId: integer('storefront_id'),
    storefrontName: text('storefront_name').notNull(),
    publisherDomain: text('publisher_domain'),
    success: boolean('success').notNull(),
    timedOut: boolean('timed_out').notNull().default(false),
    error: text('error'),
    responseTimeMs: integer('response_time_ms').notNull(),
    products: jsonb('products').$type<DiscoveredProduct[]>().notNull(),
    proposals: jsonb('proposals').$type<DiscoveredProposal[]>().notNull(),
    /** Sources its storefront left out, and its refine answers (answer-notes.ts); null: none. */
    notes: jsonb('notes').$type<AgentNotes>(),
    answeredAt: timestamptz('answered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.discoveryId, t.roundId, t.agentId] })],
);

/** Products the buyer selected in a session (one per agent and product). */
export const buyerDiscoverySelections = pgTable(
  'buyer_discovery_selections',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    discoveryId: text('discovery_id').notNull(),
    customerId: integer('customer_id').notNull(),
    agentId: text('agent_id').notNull(),
    productId: text('product_id').notNull(),
    /** Null for a remote agent (a buyer's own, registered by URL): it belongs to no storefront. */
    storefrontId: integer('storefront_id'),
    groupName: text('group_name').notNull(),
    pricingOptionId: text('pricing_option_id').notNull(),
    bidPrice: doublePrecision('bid_price'),
    budget: doublePrecision('budget'),
    targetingOverlay: jsonb('targeting_overlay').$type<Record<string, unknown>>(),
    selectedAt: timestamptz('selected_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('buyer_discovery_selections_key').on(t.discoveryId, t.agentId, t.productId)],
);
