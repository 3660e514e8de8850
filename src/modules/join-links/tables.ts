import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';

/** Join links: reusable signup URLs per storefront. Revoked rows stay (disable, don't delete). */
export const joinLinks = pgTable(
  'join_links',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 5001 }),
    slug: text('slug').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    sellerCustomerId: integer('seller_customer_id').notNull(),
    organizationId: integer('organization_id').notNull(),
    approvalPolicy: text('approval_policy')
      .$type<'auto_approve' | 'manual_approve' | 'invite_only' | 'closed'>()
      .notNull(),
    uses: integer('uses').notNull().default(0),
    maxUses: integer('max_uses'),
    expiresAt: timestamptz('expires_at'),
    active: boolean('active').notNull().default(true),
    revokedAt: timestamptz('revoked_at'),
    createdBy: integer('created_by'),
    ...timestamps(),
  },
  (t) => [
    // Only one active link may hold a slug; a revoked link's slug can be minted again.
    uniqueIndex('join_links_active_slug_key')
      .on(t.slug)
      .where(sql`${t.active}`),
    index('join_links_organization_idx').on(t.organizationId, t.active),
  ],
);
