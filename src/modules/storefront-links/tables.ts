import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/**
 * Link requests, kept by the upstream storefront: another storefront (here or on another
 * Interchange) asks to sell this storefront's inventory through its own Merchandising Agent.
 * The requester is the customer of this instance the downstream calls as (the downstream
 * storefront's own organisation here, or the buyer account whose key a remote one presents);
 * the downstream is named by its agent's URL (normalized, adagents agentKey). The upstream's
 * seller approves (ACTIVE), denies (REJECTED) or later revokes (REVOKED); a new request after a
 * denial or revocation is PENDING again. `id` is the global id the seller acts on.
 */
export const storefrontLinks = pgTable(
  'storefront_links',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 700_000_000_001 }),
    upstreamStorefrontId: integer('upstream_storefront_id').notNull(),
    requesterCustomerId: integer('requester_customer_id').notNull(),
    downstreamAgentKey: text('downstream_agent_key').notNull(),
    downstreamName: text('downstream_name').notNull(),
    /** Set when the downstream storefront lives on this instance. */
    downstreamStorefrontId: integer('downstream_storefront_id'),
    /** What the downstream said it already resells (agent keys), for the loop check. */
    downstreamUpstreams: jsonb('downstream_upstreams').$type<string[]>().notNull().default([]),
    status: text('status').$type<'PENDING' | 'ACTIVE' | 'REJECTED' | 'REVOKED'>().notNull(),
    note: text('note'),
    reason: text('reason'),
    decidedBy: integer('decided_by'),
    decidedAt: timestamptz('decided_at'),
    lastUsedAt: timestamptz('last_used_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('storefront_links_pair_key').on(
      t.upstreamStorefrontId,
      t.requesterCustomerId,
      t.downstreamAgentKey,
    ),
    index('storefront_links_upstream_idx').on(t.upstreamStorefrontId, t.status),
    index('storefront_links_requester_idx').on(t.requesterCustomerId),
    index('storefront_links_downstream_idx').on(t.downstreamAgentKey),
  ],
);
