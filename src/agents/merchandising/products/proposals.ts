import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import {
  newProposalId,
  proposalLifetimeMs,
  type ProposalAllocation,
  type ProposalsService,
} from '../../../modules/proposals/index.js';
import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import { readAsk } from '../../../sources/brief/index.js';
import { cents, impressionsFor } from '../../../sources/money.js';
import { isAppError } from '../../../platform/errors.js';
import type { Product } from '../types.js';

/*
 * AdCP proposals of a storefront (issue 47, item 4): when a brief carries a budget and a whole
 * flight, get_products answers one proposal that splits the budget over the best-ranked products
 * shown (rank-weighted: the best gets most), each at the price the buyer was shown (rate card,
 * discount and hard floors already applied), with the impressions that budget buys there. It is
 * kept (modules/proposals) before the buyer sees it, so create_media_buy books exactly it.
 */

type Proposal = NonNullable<GetProductsResponse['proposals']>[number];
type ProposalsDoor = Pick<ProposalsService, 'issue' | 'openCode'>;

/** At most this many products share a proposal's budget. */
const maxAllocations = 3;

/** Whole percentages for `weights` that sum to exactly 100 (largest remainders get the rest). */
export function percentagesOf(weights: number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const raw = weights.map((w) => (w / total) * 100);
  const whole = raw.map(Math.floor);
  let left = 100 - whole.reduce((sum, p) => sum + p, 0);
  const byRemainder = raw
    .map((r, i) => ({ i, rest: r - Math.floor(r) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    whole[i]! += 1;
    left -= 1;
  }
  return whole;
}

/** `amount` split by whole percentages, in cents; the last share takes the rounding, so they sum to it. */
export function splitBudget(amount: number, percentages: number[]): number[] {
  const shares = percentages.map((p) => cents((amount * p) / 100));
  const others = shares.slice(0, -1).reduce((sum, s) => sum + s, 0);
  if (shares.length > 0) shares[shares.length - 1] = cents(amount - others);
  return shares;
}

interface Candidate {
  product: Product;
  pricingOptionId: string;
  cpm: number;
  minSpend: number;
}

/** A product's fixed CPM option in `currency` (a proposal cannot bid for the buyer); none: left out. */
function candidateOf(product: Product, currency: string): Candidate | undefined {
  for (const option of product.pricing_options) {
    if (option.pricing_model !== 'cpm' || option.currency !== currency) continue;
    const price = 'fixed_price' in option ? option.fixed_price : undefined;
    if (typeof price !== 'number' || !(price > 0)) continue;
    const minSpend = option.min_spend_per_package ?? 0;
    return { product, pricingOptionId: option.pricing_option_id, cpm: price, minSpend };
  }
  return undefined;
}

/** The allocations of `budget` over the ranked candidates; none when no product can take a share. */
function allocate(ranked: Candidate[], budget: number): ProposalAllocation[] {
  let chosen = ranked.slice(0, maxAllocations);
  while (chosen.length > 0) {
    const percentages = percentagesOf(chosen.map((_, i) => chosen.length - i));
    const budgets = splitBudget(budget, percentages);
    // A product whose share is below its minimum spend is dropped and the rest share again.
    const short = chosen.findIndex((c, i) => budgets[i]! < c.minSpend);
    if (short >= 0) {
      chosen = chosen.filter((_, i) => i !== short);
      continue;
    }
    return chosen.map((c, i) => ({
      productId: c.product.product_id,
      pricingOptionId: c.pricingOptionId,
      allocationPercentage: percentages[i]!,
      cpm: c.cpm,
      budget: budgets[i]!,
      impressions: impressionsFor(budgets[i]!, c.cpm),
    }));
  }
  return [];
}

const forecastOf = (budget: number, impressions: number, currency: string) => ({
  points: [{ budget, metrics: { impressions: { mid: impressions }, spend: { mid: budget } } }],
  method: 'estimate' as const,
  currency,
});

/**
 * The proposal for this answer's products, kept before it is answered; none when the brief
 * names no budget or no whole flight, the buyer asked wholesale or refine, or no product shown
 * has a fixed CPM in the budget's currency.
 */
export async function proposalsFor(
  proposals: ProposalsDoor | undefined,
  storefront: StorefrontRow,
  customerId: number,
  request: GetProductsRequest,
  products: Product[],
): Promise<Proposal[]> {
  if (!proposals || request.buying_mode !== 'brief') return [];
  const ask = readAsk({ brief: request.brief, filters: request.filters });
  if (ask.budget === null || !(ask.budget > 0) || !ask.flight?.start || !ask.flight.end) return [];
  const range = request.filters?.budget_range ?? {};
  const currency =
    typeof range['currency'] === 'string' ? range['currency'] : storefront.defaultCurrency;
  if (!currency) return [];
  const candidates = products.flatMap((p) => candidateOf(p, currency) ?? []);
  const allocations = allocate(candidates, ask.budget);
  if (allocations.length === 0) return [];
  const proposalId = newProposalId();
  const expiresAt = new Date(Date.now() + proposalLifetimeMs);
  const budget = ask.budget;
  const proposal: Proposal = {
    proposal_id: proposalId,
    name: `${currency} ${budget.toLocaleString('en-US')} over ${allocations.length} products`,
    description:
      'The budget split over the products that best match the brief, the best-ranked taking the largest share, at the prices shown.',
    allocations: allocations.map((a, i) => ({
      product_id: a.productId,
      allocation_percentage: a.allocationPercentage,
      pricing_option_id: a.pricingOptionId,
      sequence: i + 1,
      rationale: `Ranked ${i + 1} of ${allocations.length} for this brief`,
      forecast: forecastOf(a.budget, a.impressions, currency),
    })),
    expires_at: expiresAt.toISOString(),
    total_budget_guidance: { recommended: budget, currency },
    forecast: forecastOf(
      budget,
      allocations.reduce((sum, a) => sum + a.impressions, 0),
      currency,
    ),
  };
  const named = new Set(allocations.map((a) => a.productId));
  await proposals.issue({
    proposalId,
    storefrontId: storefront.id,
    buyerCustomerId: customerId,
    currency,
    budget,
    allocations,
    answer: {
      products: products.filter((p) => named.has(p.product_id)),
      proposals: [proposal],
    },
    expiresAt,
  });
  return [proposal];
}

/** The proposal code a request carries (Interchange: `ext.interchange.proposal_code`), if any. */
export function proposalCodeOf(request: GetProductsRequest): string | undefined {
  const interchange: unknown = Reflect.get(request.ext ?? {}, 'interchange');
  if (typeof interchange !== 'object' || interchange === null) return undefined;
  const code: unknown = Reflect.get(interchange, 'proposal_code');
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

/**
 * get_products with a proposal code: the products and proposal the seller saved for this buyer.
 * A code of another buyer or storefront is not found; an expired or revoked one has expired.
 */
export async function answerOfCode(
  proposals: ProposalsDoor | undefined,
  storefrontId: number,
  customerId: number,
  request: GetProductsRequest,
  code: string,
): Promise<GetProductsResponse> {
  try {
    if (!proposals)
      throw new AdcpError('REFERENCE_NOT_FOUND', { message: 'Proposal code not found' });
    const answer = await proposals.openCode(storefrontId, code, {
      customerId,
      brandDomain: request.brand?.domain ?? null,
    });
    // cast: the snapshot is the AdCP answer this storefront itself gave, stored as JSON.
    return { products: answer.products as Product[], proposals: answer.proposals as Proposal[] };
  } catch (error) {
    throw adcpProposalError(error, 'ext.interchange.proposal_code');
  }
}

/** The module's refusals as AdCP errors: PROPOSAL_NOT_FOUND, PROPOSAL_EXPIRED. */
export function adcpProposalError(error: unknown, field: string): unknown {
  if (!isAppError(error)) return error;
  if (error.kind === 'not_found') {
    return new AdcpError('PROPOSAL_NOT_FOUND', {
      message: `${error.message}: ask get_products for a current proposal`,
      field,
      recovery: 'correctable',
    });
  }
  if (error.code === 'PROPOSAL_EXPIRED') {
    return new AdcpError('PROPOSAL_EXPIRED', {
      message: error.message,
      field,
      recovery: 'correctable',
    });
  }
  return error;
}
