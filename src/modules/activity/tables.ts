import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/** Append-only setup activity per storefront: who changed what, with before/after values. */
export const storefrontActivity = pgTable(
  'storefront_activity',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    resourceName: text('resource_name'),
    userId: integer('user_id'),
    actorOrigin: text('actor_origin').notNull().default('human'),
    outcome: text('outcome').notNull().default('succeeded'),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>(),
    description: text('description').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('storefront_activity_feed_idx').on(t.storefrontId, t.createdAt, t.id),
    index('storefront_activity_resource_idx').on(t.storefrontId, t.resourceType, t.resourceId),
  ],
);
