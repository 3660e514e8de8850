import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import {
  newProposalId,
  proposalLifetimeMs,
  type ProposalAllocation,
  type ProposalsService,
} from '../../../../modules/proposals/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import { readAsk } from '../../../../sources/brief/index.js';
import { cents, impressionsFor } from '../../../../sources/money.js';
import { isAppError } from '../../../../platform/errors.js';
import type { Product } from '../../types.js';

/*
 * AdCP proposals of a storefront (issue 47, item 4): when a brief carries a budget and a whole
 * flight, get_products answers a proposal that splits the budget over the best-ranked products
 * shown (rank-weighted: the best gets most), each at the price the buyer was shown (rate card,
 * discount and hard floors already applied), with the impressions that budget buys there; and an
 * alternative that is a different plan (plansOf): the most impressions, or an even spread. Each is kept (modules/proposals) before the buyer sees it, so create_media_buy
 * books exactly it.
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

export interface Candidate {
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

/** Rank-weighted: the first gets most (3:2:1). */
const byRank = (n: number) => Array.from({ length: n }, (_, i) => n - i);
/** Even shares. */
const evenly = (n: number) => Array.from({ length: n }, () => 1);

/**
 * The allocations of `budget` over the first candidates, shared by `weights`; none when no
 * product can take a share.
 */
function allocate(
  ordered: Candidate[],
  budget: number,
  weights: (n: number) => number[],
): ProposalAllocation[] {
  let chosen = ordered.slice(0, maxAllocations);
  while (chosen.length > 0) {
    const percentages = percentagesOf(weights(chosen.length));
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

/** One way to spend the brief's budget: its allocations and how it is named to the buyer. */
interface Plan {
  allocations: ProposalAllocation[];
  name: string;
  description: string;
  /** Why the allocation at this position is there. */
  rationale: (position: number, of: number) => string;
}

/**
 * The plans a brief's budget gets: the best-ranked products first (rank-weighted), and an
 * alternative a buyer can weigh against it: the most impressions for the budget (the lowest
 * CPMs shown, the cheapest taking most), or, when that is the same plan, the ranked products
 * evenly (the budget spread, no product leading). No alternative that is the same plan.
 */
export function plansOf(candidates: Candidate[], budget: number, currency: string): Plan[] {
  const amount = `${currency} ${budget.toLocaleString('en-US')}`;
  const ranked = allocate(candidates, budget, byRank);
  if (ranked.length === 0) return [];
  const first: Plan = {
    allocations: ranked,
    name: `${amount} over ${ranked.length} products`,
    description:
      'The budget split over the products that best match the brief, the best-ranked taking the largest share, at the prices shown.',
    rationale: (i, n) => `Ranked ${i} of ${n} for this brief`,
  };
  const cheapest = allocate(
    [...candidates].sort((a, b) => a.cpm - b.cpm),
    budget,
    byRank,
  );
  if (cheapest.length > 0 && !samePlan(cheapest, ranked)) {
    return [
      first,
      {
        allocations: cheapest,
        name: `${amount} for the most impressions, over ${cheapest.length} products`,
        description:
          'The budget split over the lowest-CPM products that match the brief, the cheapest taking the largest share: more impressions for the budget than the best-ranked split, at the prices shown.',
        rationale: (i, n) => `${i} of ${n} by CPM, lowest first`,
      },
    ];
  }
  const even = allocate(candidates, budget, evenly);
  if (even.length === 0 || samePlan(even, ranked)) return [first];
  return [
    first,
    {
      allocations: even,
      name: `${amount} evenly over ${even.length} products`,
      description:
        'The budget split evenly over the products that best match the brief: no product leading, at the prices shown.',
      rationale: (i, n) => `Ranked ${i} of ${n} for this brief, an even share`,
    },
  ];
}

const samePlan = (a: ProposalAllocation[], b: ProposalAllocation[]) =>
  a.length === b.length &&
  a.every(
    (x, i) =>
      x.productId === b[i]!.productId && x.allocationPercentage === b[i]!.allocationPercentage,
  );

/** A plan as the AdCP proposal answered for it. */
function proposalOf(
  plan: Plan,
  proposalId: string,
  expiresAt: Date,
  budget: number,
  currency: string,
): Proposal {
  const { allocations } = plan;
  return {
    proposal_id: proposalId,
    name: plan.name,
    description: plan.description,
    allocations: allocations.map((a, i) => ({
      product_id: a.productId,
      allocation_percentage: a.allocationPercentage,
      pricing_option_id: a.pricingOptionId,
      sequence: i + 1,
      rationale: plan.rationale(i + 1, allocations.length),
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
}

/**
 * The proposals for this answer's products, each kept before it is answered; none when the
 * brief names no budget or no whole flight, the buyer asked wholesale or refine, or no product
 * shown has a fixed CPM in the budget's currency.
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
  const budget = ask.budget;
  const candidates = products.flatMap((p) => candidateOf(p, currency) ?? []);
  const answered: Proposal[] = [];
  for (const plan of plansOf(candidates, budget, currency)) {
    const proposalId = newProposalId();
    const expiresAt = new Date(Date.now() + proposalLifetimeMs);
    const proposal = proposalOf(plan, proposalId, expiresAt, budget, currency);
    const named = new Set(plan.allocations.map((a) => a.productId));
    await proposals.issue({
      proposalId,
      storefrontId: storefront.id,
      buyerCustomerId: customerId,
      currency,
      budget,
      allocations: plan.allocations,
      answer: {
        products: products.filter((p) => named.has(p.product_id)),
        proposals: [proposal],
      },
      expiresAt,
    });
    answered.push(proposal);
  }
  return answered;
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
