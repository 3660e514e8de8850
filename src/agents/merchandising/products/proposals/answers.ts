import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import {
  newProposalId,
  proposalLifetimeMs,
  type ProposalsService,
} from '../../../../modules/proposals/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import { readAsk } from '../../../../sources/brief/index.js';
import { isAppError } from '../../../../platform/errors.js';
import type { Product } from '../../types.js';
import { withinAsk } from './fit.js';
import { candidateOf, maxBudgetOf, type Plan, plansOf } from './plans.js';

/*
 * AdCP proposals of a storefront (issue 47, item 4): when a brief carries a budget and a whole
 * flight, get_products answers a proposal that splits the budget over the best-ranked products
 * shown within the brief's channels and formats (fit.ts; rank-weighted: the best gets most),
 * each at the price the buyer was shown (rate card, discount and hard floors already applied),
 * with the impressions that budget buys there, never more than the product has (plans.ts); and
 * an alternative that is a different plan: the most impressions, or an even spread. Each is kept
 * (modules/proposals) before the buyer sees it, so create_media_buy books exactly it.
 */

type Proposal = NonNullable<GetProductsResponse['proposals']>[number];
type ProposalsDoor = Pick<ProposalsService, 'issue' | 'openCode'>;

const forecastOf = (budget: number, impressions: number, currency: string) => ({
  points: [{ budget, metrics: { impressions: { mid: impressions }, spend: { mid: budget } } }],
  method: 'estimate' as const,
  currency,
});

const money = (currency: string, amount: number) =>
  `${currency} ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/**
 * A plan as the AdCP proposal answered for it. Its budget is what its products can take: the
 * brief's, or less when the brief's is more than the inventory shown (said in brief_alignment,
 * the guidance's max the most it takes).
 */
function proposalOf(
  plan: Plan,
  proposalId: string,
  expiresAt: Date,
  asked: number,
  currency: string,
): Proposal {
  const { allocations, budget } = plan;
  const max = maxBudgetOf(allocations, budget);
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
    total_budget_guidance: {
      recommended: budget,
      ...(max !== undefined && { max }),
      currency,
    },
    ...(plan.left > 0 && {
      brief_alignment: `The brief's budget of ${money(currency, asked)} is more than the inventory shown can take: this proposal spends ${money(currency, budget)}, every impression its products have left.`,
    }),
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
 * shown within the brief's channels and formats has a fixed CPM in the budget's currency and
 * impressions left.
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
  const candidates = products.flatMap((p) =>
    withinAsk(ask, p) ? (candidateOf(p, currency) ?? []) : [],
  );
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
      budget: plan.budget,
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
