import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import type { ProposalRow, ProposalsService } from '../../../../modules/proposals/index.js';
import { cents, impressionsFor } from '../../../../sources/money.js';
import { adcpProposalError } from '../../products/proposals/answers.js';
import { maxBudgetOf } from '../../products/proposals/plans.js';
import type { SalesRequest } from '../../adcp.js';

/*
 * create_media_buy with a `proposal_id` (issue 47, item 4; issue 68, item 2): the buy is the
 * proposal's allocations, each a package of its product at the pricing option the proposal
 * named, with the budget and impressions the allocation was offered with (at another
 * `total_budget`, its share of that, the impressions it buys at the CPM shown). A total the
 * allocations' products cannot take (more impressions than one had when offered) is refused at
 * `total_budget.amount`, naming the allocation, before anything is booked.
 * The proposal must be the caller's own (answered to it, or given it by a live proposal code);
 * another buyer's or storefront's answers PROPOSAL_NOT_FOUND, a past one PROPOSAL_EXPIRED.
 * A committed (finalized) proposal carries an insertion order to be signed: the buy must accept
 * it by its `io_id` (`io_acceptance`); none is IO_REQUIRED, another IO's id INVALID_REQUEST.
 */

type PackageRequest = NonNullable<SalesRequest<'createMediaBuy'>['packages']>[number];

export type ProposalDoor = Pick<ProposalsService, 'bookable' | 'redeemed'>;

/** The packages a proposal books and the proposal codes it was reached by (marked redeemed). */
export interface ProposalBuy {
  packages: PackageRequest[];
  codeIds: number[];
}

/** The buy a request's `proposal_id` names, or undefined when it names none. */
export async function proposalBuyOf(
  proposals: ProposalDoor | undefined,
  storefrontId: number,
  customerId: number,
  request: SalesRequest<'createMediaBuy'>,
): Promise<ProposalBuy | undefined> {
  const proposalId = request.proposal_id;
  if (proposalId === undefined) return undefined;
  // AdCP: proposal_id is the alternative to packages; both would leave the buy ambiguous.
  if ((request.packages ?? []).length > 0) {
    throw new InvalidRequestError(
      'packages',
      'packages and proposal_id cannot both be sent: a proposal books its own allocations',
    );
  }
  if (!proposals) throw unknownProposal();
  let bookable: Awaited<ReturnType<ProposalDoor['bookable']>>;
  try {
    bookable = await proposals.bookable(storefrontId, proposalId, {
      customerId,
      brandDomain: request.brand?.domain ?? null,
    });
  } catch (error) {
    throw adcpProposalError(error, 'proposal_id');
  }
  const { proposal, codeIds } = bookable;
  refuseUnacceptedIo(proposal, request.io_acceptance);
  const asked = request.total_budget;
  if (asked && asked.currency !== proposal.currency) {
    throw new InvalidRequestError(
      'total_budget.currency',
      `total_budget.currency ${asked.currency} is not the proposal's currency ${proposal.currency}`,
    );
  }
  const amount = asked ? asked.amount : Number(proposal.budget);
  if (!(amount > 0)) {
    throw new InvalidRequestError('total_budget.amount', 'total_budget.amount must be positive');
  }
  const packages = allocationPackages(proposal, cents(amount));
  return { packages, codeIds };
}

/**
 * The packages of a proposal's allocations for `amount`: each allocation's own budget and
 * impressions at the proposal's budget; at another amount, each its share (the last taking the
 * rounding) and the impressions that buys at its CPM, refused when more than its product had.
 */
function allocationPackages(row: ProposalRow, amount: number): PackageRequest[] {
  const { allocations } = row;
  const offered = Number(row.budget);
  const budgets =
    amount === cents(offered)
      ? allocations.map((a) => a.budget)
      : allocations.map((a) => cents((a.budget * amount) / offered));
  if (amount !== cents(offered) && budgets.length > 0) {
    const others = budgets.slice(0, -1).reduce((sum, b) => sum + b, 0);
    budgets[budgets.length - 1] = cents(amount - others);
  }
  return allocations.map((allocation, i): PackageRequest => {
    const budget = budgets[i]!;
    const impressions =
      budget === allocation.budget
        ? allocation.impressions
        : impressionsFor(budget, allocation.cpm);
    if (allocation.available !== undefined && impressions > allocation.available) {
      const max = maxBudgetOf(allocations, offered);
      throw new InvalidRequestError(
        'total_budget.amount',
        `Allocation ${i + 1} of proposal ${row.proposalId} (product ${allocation.productId}) had ${allocation.available} impressions when offered; ${row.currency} ${amount} would ask ${impressions} of it${max === undefined ? '' : `: this proposal takes at most ${row.currency} ${max}`}`,
      );
    }
    return {
      product_id: allocation.productId,
      pricing_option_id: allocation.pricingOptionId,
      budget,
      impressions,
    };
  });
}

/** Without the proposals module every proposal id is unknown. */
const unknownProposal = () =>
  new AdcpError('PROPOSAL_NOT_FOUND', {
    message: 'Proposal not found: ask get_products for a current proposal',
    field: 'proposal_id',
    recovery: 'correctable',
  });

/** The insertion order a finalize attached to a proposal (modules/proposals markCommitted). */
function insertionOrderOf(
  row: ProposalRow,
): { io_id: string; requires_signature: boolean } | undefined {
  const [shown] = row.answer.proposals;
  const io: unknown = shown ? Reflect.get(shown, 'insertion_order') : undefined;
  if (typeof io !== 'object' || io === null) return undefined;
  const ioId: unknown = Reflect.get(io, 'io_id');
  const required: unknown = Reflect.get(io, 'requires_signature');
  return typeof ioId === 'string'
    ? { io_id: ioId, requires_signature: required === true }
    : undefined;
}

/** AdCP: a proposal whose insertion order requires signature is booked only with it accepted. */
function refuseUnacceptedIo(
  row: ProposalRow,
  acceptance: SalesRequest<'createMediaBuy'>['io_acceptance'],
): void {
  const io = insertionOrderOf(row);
  if (!io && !acceptance) return;
  if (!io) {
    throw new InvalidRequestError(
      'io_acceptance.io_id',
      `Proposal ${row.proposalId} has no insertion order to accept: finalize it first (get_products refine, action finalize)`,
    );
  }
  if (!acceptance) {
    if (!io.requires_signature) return;
    throw new AdcpError('IO_REQUIRED', {
      message: `Proposal ${row.proposalId} is committed with insertion order ${io.io_id}: accept it with io_acceptance`,
      field: 'io_acceptance',
      recovery: 'correctable',
      details: { io_id: io.io_id },
    });
  }
  if (acceptance.io_id !== io.io_id) {
    throw new InvalidRequestError(
      'io_acceptance.io_id',
      `io_acceptance.io_id ${acceptance.io_id} is not the insertion order of proposal ${row.proposalId} (${io.io_id})`,
    );
  }
}
