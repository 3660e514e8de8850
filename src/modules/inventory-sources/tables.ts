import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import { completeCapabilities } from './probing/capabilities.js';
import type { CachedCapabilities, CallErrorRecord, ProbeErrorRecord } from './schemas.js';

/**
 * jsonb holding a source's cached capabilities, read whole: a value stored before a field existed
 * (or incomplete, as an older release wrote ad-server sources) reads with that field unknown or
 * empty, so no reader meets a missing field.
 */
const capabilitiesJsonb = customType<{ data: CachedCapabilities; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) =>
    completeCapabilities(typeof value === 'string' ? (JSON.parse(value) as unknown) : value),
});

/**
 * Inventory sources of storefronts. `id` is the global surrogate (numeric string on the wire);
 * `source_id` is the storefront-scoped slug used in paths. Deleted rows are kept (soft delete) so
 * history that names them stays readable; the slug is free again once deleted.
 */
export const inventorySources = pgTable(
  'inventory_sources',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 900_000_000_001 }),
    storefrontId: integer('storefront_id').notNull(),
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    executionType: text('execution_type').notNull().default('AGENT'),
    type: text('type').notNull().default('SALES'),
    protocol: text('protocol').$type<'MCP' | 'A2A'>().notNull(),
    /** Null for a draft (hosted: only a name is required); a draft cannot become ACTIVE. */
    endpointUrl: text('endpoint_url'),
    /** Derived from endpoint and protocol; null while the source is a draft. */
    agentId: text('agent_id'),
    authenticationType: text('authentication_type')
      .$type<'NO_AUTH' | 'API_KEY' | 'JWT' | 'OAUTH' | 'BASIC_AUTH'>()
      .notNull(),
    /** The operator's credential, sealed with the platform secret box; never returned. */
    authSealed: text('auth_sealed'),
    requiresCredentials: boolean('requires_credentials').notNull().default(false),
    status: text('status').$type<'PENDING' | 'ACTIVE' | 'DISABLED'>().notNull().default('PENDING'),
    capabilities: capabilitiesJsonb('capabilities'),
    lastProbeAt: timestamptz('last_probe_at'),
    lastSuccessAt: timestamptz('last_success_at'),
    lastError: jsonb('last_error').$type<ProbeErrorRecord>(),
    lastLatencyMs: integer('last_latency_ms'),
    lastCallError: jsonb('last_call_error').$type<CallErrorRecord>(),
    ...timestamps(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    uniqueIndex('inventory_sources_slug_key')
      .on(t.storefrontId, t.sourceId)
      .where(sql`${t.deletedAt} is null`),
    index('inventory_sources_agent_idx').on(t.agentId),
    index('inventory_sources_storefront_idx').on(t.storefrontId, t.status),
  ],
);

/**
 * Products a source answered that AdCP's product schema refuses (left out of buyers' answers),
 * one row per source and product: the first refused field, since when and last seen. Written
 * by product-issues.ts, at most once a minute per product while it stays the same; deleted when
 * the product comes back valid or is no longer offered.
 */
export const inventorySourceProductIssues = pgTable(
  'inventory_source_product_issues',
  {
    inventorySourceId: bigintNumber('inventory_source_id')
      .notNull()
      .references(() => inventorySources.id, { onDelete: 'cascade' }),
    /** The source's own product id. */
    productId: text('product_id').notNull(),
    /** JSON pointer inside the product, e.g. `/channels/0`. */
    field: text('field').notNull(),
    message: text('message').notNull(),
    firstSeenAt: timestamptz('first_seen_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.inventorySourceId, t.productId] }),
    index('inventory_source_product_issues_seen_idx').on(t.lastSeenAt),
  ],
);
