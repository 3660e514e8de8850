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
import type { CachedCapabilities, ProbeErrorRecord } from '../inventory-sources/index.js';

/**
 * Remote AdCP sales agents a buyer registered by URL (issue 14 item 1): asked in discovery and
 * booked in campaigns beside the storefront agents, as `remote-{id}`. One row per buyer and
 * endpoint, so the same agent is never asked twice for one buyer.
 */
export const buyerSalesAgents = pgTable(
  'buyer_sales_agents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    endpointUrl: text('endpoint_url').notNull(),
    protocol: text('protocol').$type<'MCP' | 'A2A'>().notNull(),
    authenticationType: text('authentication_type').$type<'NO_AUTH' | 'API_KEY'>().notNull(),
    /** The buyer's bearer token for the agent, sealed with the platform secret box; never returned. */
    authSealed: text('auth_sealed'),
    /** The account the seller issued this buyer (AdCP account_id); else brand + operator is sent. */
    accountIdentifier: text('account_identifier'),
    status: text('status').$type<'ACTIVE' | 'DISABLED'>().notNull().default('ACTIVE'),
    capabilities: jsonb('capabilities').$type<CachedCapabilities>(),
    lastProbeAt: timestamp('last_probe_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: jsonb('last_error').$type<ProbeErrorRecord>(),
    lastLatencyMs: integer('last_latency_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('buyer_sales_agents_endpoint_key').on(t.customerId, t.endpointUrl),
    index('buyer_sales_agents_customer_idx').on(t.customerId, t.id),
  ],
);
