import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';

/**
 * A storefront's rate card (hosted `compositionPricing`): the card's own settings, one row per
 * storefront. Its facts live in `storefront_pricing_facts`; writers lock this row first, so
 * concurrent writes to one card are serialized by PostgreSQL.
 */
export const storefrontRateCards = pgTable('storefront_rate_cards', {
  storefrontId: integer('storefront_id').primaryKey(),
  /** Deprecated hosted percentile, kept for explainability only: it sets no price. */
  targetPercentile: text('target_percentile').notNull().default('p75'),
  /** Default ISO 4217 currency of the card's facts; NULL: the storefront's defaultCurrency. */
  currency: text('currency'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** The hint categories of a pricing fact (hosted StorefrontPricingFactHints). */
export interface PricingFactHints {
  channels?: string[];
  creativeTerms?: string[];
  publisherDomains?: string[];
  countries?: string[];
  advertiserVerticals?: string[];
  seasonality?: string[];
  signalTags?: string[];
  placementTags?: string[];
}

/** The conditions of a pricing fact (budget range, flight window, brands), as stored. */
export interface PricingFactConditionsRow {
  budget?: { min?: number; max?: number };
  flight?: { start?: string; end?: string };
  brandDomains?: string[];
}

/**
 * One seller pricing fact (hosted StorefrontPricingFact), keyed by its operator-facing id within
 * the storefront. Prices are in `currency` (else the card's), per `pricing_model`.
 */
export const storefrontPricingFacts = pgTable(
  'storefront_pricing_facts',
  {
    storefrontId: integer('storefront_id').notNull(),
    factId: text('fact_id').notNull(),
    /** The fact's place in the card (the order the seller wrote them); ties break by it. */
    position: integer('position').notNull(),
    label: text('label').notNull(),
    appliesWhen: text('applies_when').notNull(),
    hints: jsonb('hints').$type<PricingFactHints>().notNull(),
    /** appliesWhen's matchable conditions (schemas.ts pricingFactConditionsSchema); NULL: none. */
    conditions: jsonb('conditions').$type<PricingFactConditionsRow>(),
    pricingModel: text('pricing_model').notNull(),
    currency: text('currency'),
    targetPrice: doublePrecision('target_price'),
    floorPrice: doublePrecision('floor_price'),
    ceilingPrice: doublePrecision('ceiling_price'),
    strength: text('strength').notNull(),
    provenance: text('provenance'),
    notes: text('notes'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.storefrontId, t.factId] }),
    check(
      'storefront_pricing_facts_strength',
      sql`${t.strength} in ('hard_floor', 'default', 'guidance')`,
    ),
    check(
      'storefront_pricing_facts_prices',
      sql`(${t.targetPrice} is null or ${t.targetPrice} > 0) and (${t.floorPrice} is null or ${t.floorPrice} >= 0) and (${t.ceilingPrice} is null or ${t.ceilingPrice} > 0)`,
    ),
  ],
);
