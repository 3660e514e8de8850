import { doublePrecision, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bigintNumber, timestamptz } from '../../platform/db/columns.js';

/** One source's part in a discovery run: how many products it gave, or why it gave none. */
export interface SourceOutcomeRecord {
  sourceId: string;
  ok: boolean;
  productCount: number;
  errorCode?: string;
  latencyMs: number;
}

/** A product inside a packaged product, as shown: enough to buy it on its own. */
export interface PackagedComponentRecord {
  productId: string;
  pricingOptionIds: string[];
}

/**
 * The price one pricing option of a product was shown at (issue 68: a quote is binding), kept
 * with the answer that showed it: create_media_buy books this price (agents/merchandising/buys/
 * describe/quote.ts).
 */
export interface QuoteRecord {
  /** `fixed`: the option's fixed_price; `auction`: its floor_price (the least a bid may be). */
  kind: 'fixed' | 'auction';
  pricingModel: string;
  currency: string | null;
  /** The price shown; null for an auction option shown without a floor. */
  price: number | null;
  /** The source's own price for the option, before the storefront's rules, discount and card. */
  listPrice: number | null;
  /** How the shown price came from the list (the option's price_breakdown adjustments). */
  adjustments: Record<string, unknown>[];
}

/**
 * Every get_products a storefront's agent answered: who asked (operator, brand, country),
 * what (brief, refine asks) and what was shown. The raw material of seller analytics.
 */
export const discoveryRuns = pgTable(
  'discovery_runs',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    buyerCustomerId: integer('buyer_customer_id'),
    operatorDomain: text('operator_domain'),
    brandDomain: text('brand_domain'),
    country: text('country'),
    buyingMode: text('buying_mode'),
    brief: text('brief'),
    refine: jsonb('refine').$type<unknown[]>(),
    productIds: jsonb('product_ids').$type<string[]>().notNull().default([]),
    /** Packaged products shown (product rules): their components, to route a buy of one. */
    packages: jsonb('packages')
      .$type<Record<string, PackagedComponentRecord[]>>()
      .notNull()
      .default({}),
    /** Each product shown, each option's quote (QuoteRecord) by pricing option id. */
    quotes: jsonb('quotes')
      .$type<Record<string, Record<string, QuoteRecord>>>()
      .notNull()
      .default({}),
    sourceOutcomes: jsonb('source_outcomes').$type<SourceOutcomeRecord[]>().notNull().default([]),
    discountPercent: doublePrecision('discount_percent'),
    /**
     * The negotiation posture this run was composed under (seller analytics' vocabulary), the
     * history's recommendation then, and why: written with the run, so recording it costs no
     * second write.
     */
    selectedPosture: text('selected_posture'),
    recommendedPosture: text('recommended_posture'),
    postureRationale: text('posture_rationale'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('discovery_runs_storefront_idx').on(t.storefrontId, t.createdAt),
    index('discovery_runs_buyer_idx').on(t.buyerCustomerId, t.storefrontId, t.createdAt),
  ],
);
