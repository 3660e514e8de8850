import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Join links: reusable signup URLs per storefront. Revoked rows stay (disable, don't delete). */
export const joinLinks = pgTable(
  'join_links',
  {
    id: bigint('id', { mode: 'number' })
      .primaryKey()
      .generatedAlwaysAsIdentity({ startWith: 5001 }),
    slug: text('slug').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    sellerCustomerId: integer('seller_customer_id').notNull(),
    organizationId: integer('organization_id').notNull(),
    approvalPolicy: text('approval_policy')
      .$type<'auto_approve' | 'manual_approve' | 'invite_only' | 'closed'>()
      .notNull(),
    uses: integer('uses').notNull().default(0),
    maxUses: integer('max_uses'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Only one active link may hold a slug; a revoked link's slug can be minted again.
    uniqueIndex('join_links_active_slug_key')
      .on(t.slug)
      .where(sql`${t.active}`),
    index('join_links_organization_idx').on(t.organizationId, t.active),
  ],
);
