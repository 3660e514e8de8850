import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/** One product's share of a proposal, as booked: the product and price the buyer was shown. */
export interface ProposalAllocation {
  productId: string;
  pricingOptionId: string;
  /** Whole percent of the proposal's budget; a proposal's allocations sum to 100. */
  allocationPercentage: number;
  /** CPM the buyer was shown (after rate card and discount). */
  cpm: number;
  /** The share of the budget in the proposal's currency, and the impressions it buys at `cpm`. */
  budget: number;
  impressions: number;
  /** The impressions the product said it had when the proposal was offered (none: not said). */
  available?: number;
}

/**
 * A proposal a storefront answered in get_products (AdCP `proposals`): its allocations of the
 * brief's budget, frozen as shown, so create_media_buy with its id books exactly them. The
 * AdCP answer itself (`answer`: the proposal and the products it names) is kept for proposal
 * codes, which show a buyer that snapshot again.
 */
export const storefrontProposals = pgTable(
  'storefront_proposals',
  {
    proposalId: text('proposal_id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    /** The buyer it was answered to; NULL for none (the seller's own ask). */
    buyerCustomerId: integer('buyer_customer_id'),
    currency: text('currency').notNull(),
    budget: text('budget').notNull(),
    allocations: jsonb('allocations').$type<ProposalAllocation[]>().notNull(),
    answer: jsonb('answer').$type<ProposalAnswer>().notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('storefront_proposals_storefront_idx').on(t.storefrontId, t.createdAt)],
);

/** The AdCP get_products shapes a proposal was answered with (products and the proposal). */
export interface ProposalAnswer {
  products: object[];
  proposals: object[];
}

/** Who a proposal code is for (hosted StorefrontProposalOperatorReference). */
export type OperatorRef = { domain: string } | { customerId: number };

/**
 * A proposal code a seller issued (hosted createStorefrontProposal): a short handle to one of
 * its storefront's proposals, for one buyer, until it expires or the seller revokes it.
 */
export const proposalCodes = pgTable(
  'storefront_proposal_codes',
  {
    id: serial('id').primaryKey(),
    storefrontId: integer('storefront_id').notNull(),
    code: text('code').notNull(),
    proposalId: text('proposal_id').notNull(),
    operatorRef: jsonb('operator_ref').$type<OperatorRef>().notNull(),
    label: text('label').notNull(),
    notes: text('notes'),
    /** active | redeemed | revoked; expired is read from expiresAt. */
    status: text('status').notNull().default('active'),
    expiresAt: timestamptz('expires_at').notNull(),
    discoverySessionId: text('discovery_session_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    firstViewedAt: timestamptz('first_viewed_at'),
    lastViewedAt: timestamptz('last_viewed_at'),
    redeemedAt: timestamptz('redeemed_at'),
    redeemedInMediaBuyId: text('redeemed_in_media_buy_id'),
    /**
     * The buyer customer the code belongs to: the one it names (`{customerId}`), or the first
     * buyer for its brand domain that opened it with the code. Only this buyer sees, books or
     * finalizes it; naming the brand domain alone never does (issue 69).
     */
    holderCustomerId: integer('holder_customer_id'),
  },
  (t) => [
    uniqueIndex('storefront_proposal_codes_code_key').on(t.code),
    index('storefront_proposal_codes_storefront_idx').on(t.storefrontId, t.id),
  ],
);
