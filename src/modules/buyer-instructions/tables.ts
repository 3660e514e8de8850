import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps } from '../../platform/db/columns.js';

/**
 * Buyer instructions: per-storefront tailoring for a buyer identity, scoped by an
 * (operator_domain, brand_domain) pair where NULL means "any". The scope is unique per
 * storefront; the index coalesces NULLs so two house (NULL, NULL) rows clash as well.
 */
export const buyerInstructions = pgTable(
  'buyer_instructions',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    operatorDomain: text('operator_domain'),
    brandDomain: text('brand_domain'),
    discountPercent: doublePrecision('discount_percent'),
    notes: text('notes'),
    /** ISO 3166-1 alpha-2 codes; NULL means every country. */
    countries: jsonb('countries').$type<string[]>(),
    /**
     * The negotiation posture the storefront agent must use for matching buyers (seller
     * analytics' vocabulary); NULL follows the history's recommendation.
     */
    posture: text('posture'),
    ...timestamps(),
    createdBy: integer('created_by'),
  },
  (t) => [
    uniqueIndex('buyer_instructions_scope_key').on(
      t.storefrontId,
      sql`coalesce(${t.operatorDomain}, '')`,
      sql`coalesce(${t.brandDomain}, '')`,
    ),
    check(
      'buyer_instructions_discount_range',
      sql`${t.discountPercent} is null or (${t.discountPercent} >= 0 and ${t.discountPercent} <= 100)`,
    ),
  ],
);
