import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import type { CachedCapabilities, ProbeErrorRecord } from '../inventory-sources/index.js';

/**
 * The columns of a registered agent, whatever it is asked for: both kinds' tables are built from
 * this one list, so their rows have one type and one store serves both (registry/agent-store.ts).
 */
const registeredAgentColumns = () => ({
  id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
  customerId: integer('customer_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  endpointUrl: text('endpoint_url').notNull(),
  protocol: text('protocol').$type<'MCP' | 'A2A'>().notNull(),
  authenticationType: text('authentication_type').$type<'NO_AUTH' | 'API_KEY'>().notNull(),
  /** The buyer's bearer token for the agent, sealed with the platform secret box; never returned. */
  authSealed: text('auth_sealed'),
  /** The account the agent issued this buyer (AdCP account_id); else brand + operator is sent. */
  accountIdentifier: text('account_identifier'),
  status: text('status').$type<'ACTIVE' | 'DISABLED'>().notNull().default('ACTIVE'),
  capabilities: jsonb('capabilities').$type<CachedCapabilities>(),
  lastProbeAt: timestamptz('last_probe_at'),
  lastSuccessAt: timestamptz('last_success_at'),
  lastError: jsonb('last_error').$type<ProbeErrorRecord>(),
  lastLatencyMs: integer('last_latency_ms'),
  ...timestamps(),
});

/**
 * Remote AdCP sales agents a buyer registered by URL (issue 14 item 1): asked in discovery and
 * booked in campaigns beside the storefront agents, as `remote-{id}`. One row per buyer and
 * endpoint, so the same agent is never asked twice for one buyer.
 */
export const buyerSalesAgents = pgTable('buyer_sales_agents', registeredAgentColumns(), (t) => [
  uniqueIndex('buyer_sales_agents_endpoint_key').on(t.customerId, t.endpointUrl),
  index('buyer_sales_agents_customer_idx').on(t.customerId, t.id),
]);

/**
 * AdCP signals agents a buyer registered by URL (issue 32 item 3): asked with get_signals beside
 * the signals agents of the storefronts the buyer may use (their inventory sources of type
 * SIGNAL), as `signals-{id}`. One row per buyer and endpoint.
 */
export const buyerSignalAgents = pgTable('buyer_signal_agents', registeredAgentColumns(), (t) => [
  uniqueIndex('buyer_signal_agents_endpoint_key').on(t.customerId, t.endpointUrl),
  index('buyer_signal_agents_customer_idx').on(t.customerId, t.id),
]);

export type ActivationStatus = 'PENDING' | 'ACTIVATING' | 'DEPLOYED' | 'FAILED';

/** An AdCP deployment as the signals agent answered it (activate_signal / get_signals). */
export type StoredDeployment = Record<string, unknown>;
/** An AdCP destination as sent in activate_signal. */
export type StoredDestination = Record<string, unknown>;

/**
 * activate_signal requests for a buyer's campaign, recorded before they are sent (status
 * PENDING) so a retry after a crash or a timeout sends the same idempotency key and the agent
 * activates once. Followed until every deployment is live (DEPLOYED) or the agent refuses
 * (FAILED).
 */
export const signalActivations = pgTable(
  'signal_activations',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    /** `signals-{id}` (the buyer's agent) or `source-{id}` (a storefront's SIGNAL source). */
    agentId: text('agent_id').notNull(),
    signalAgentSegmentId: text('signal_agent_segment_id').notNull(),
    pricingOptionId: text('pricing_option_id'),
    destinations: jsonb('destinations').$type<StoredDestination[]>().notNull(),
    deployments: jsonb('deployments').$type<StoredDeployment[]>().notNull().default([]),
    status: text('status').$type<ActivationStatus>().notNull().default('PENDING'),
    idempotencyKey: text('idempotency_key').notNull(),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    attempts: integer('attempts').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('signal_activations_once_key').on(
      t.customerId,
      t.campaignId,
      t.agentId,
      t.signalAgentSegmentId,
    ),
    index('signal_activations_campaign_idx').on(t.customerId, t.campaignId),
    index('signal_activations_open_idx').on(t.status, t.updatedAt),
  ],
);
