import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import type { ProposalRow, ProposalsService } from '../../../../modules/proposals/index.js';
import { isAppError } from '../../../../platform/errors.js';
import type { Product } from '../../types.js';
import { adcpProposalError } from './answers.js';

/*
 * get_products refine over a storefront's own proposals (AdCP 3.1 `refine[].scope: "proposal"`):
 * `include` shows the proposal again, `omit` leaves it out, `finalize` commits it. Proposals
 * are the storefront's (proposals/answers.ts), so these entries are answered here, never sent to a
 * source; request- and product-scoped entries beside them go to the sources as before.
 */

type Entry = NonNullable<GetProductsRequest['refine']>[number];
type ProposalEntry = Extract<Entry, { scope: 'proposal' }>;
type Applied = NonNullable<GetProductsResponse['refinement_applied']>[number];
type Proposal = NonNullable<GetProductsResponse['proposals']>[number];
export type ProposalRefineDoor = Pick<ProposalsService, 'bookable' | 'finalize'>;

/** Whether the storefront answers this refine itself (it names one of its proposals). */
export function refinesProposals(request: GetProductsRequest): boolean {
  return (
    request.buying_mode === 'refine' && (request.refine ?? []).some((e) => e.scope === 'proposal')
  );
}

const isFinalize = (e: Entry): e is ProposalEntry =>
  e.scope === 'proposal' && e.action === 'finalize';

/**
 * The spec's finalize-exclusivity rule: a call that finalizes finalizes only. The first entry
 * that is not a proposal finalize is named.
 */
function exclusivityRefusal(refine: Entry[]): AdcpError | undefined {
  if (!refine.some(isFinalize)) return undefined;
  const index = refine.findIndex((e) => !isFinalize(e));
  if (index < 0) return undefined;
  return new AdcpError('INVALID_REQUEST', {
    message:
      'A finalize call may only finalize proposals: send refinements in an earlier get_products call, then finalize',
    field: `refine[${index}]`,
    recovery: 'correctable',
  });
}

/** The products and proposal a kept proposal was answered with. */
function shownOf(row: ProposalRow): { products: Product[]; proposal: Proposal | undefined } {
  // cast: the snapshot is the AdCP answer this storefront itself gave, stored as JSON.
  const products = row.answer.products as Product[];
  const [proposal] = row.answer.proposals as Proposal[];
  return { products, proposal };
}

/** The products of several answers, each once (the first seen kept). */
function mergeProducts(lists: Product[][]): Product[] {
  const byId = new Map<string, Product>();
  for (const product of lists.flat()) {
    if (!byId.has(product.product_id)) byId.set(product.product_id, product);
  }
  return [...byId.values()];
}

/** No proposals kept here at all: every proposal id is unknown. */
const unknownProposal = (field: string) =>
  new AdcpError('PROPOSAL_NOT_FOUND', {
    message: 'Proposal not found: ask get_products for a current proposal',
    field,
    recovery: 'correctable',
  });

const rethrow = (error: unknown, field: string): never => {
  throw adcpProposalError(error, isAppError(error) ? (error.field ?? field) : field);
};

/**
 * The answer to a refine naming this storefront's proposals. `others` answers the request- and
 * product-scoped entries beside them (the usual composition), when there are any.
 */
export async function answerProposalRefine(
  proposals: ProposalRefineDoor | undefined,
  storefrontId: number,
  customerId: number,
  request: GetProductsRequest,
  others: (request: GetProductsRequest) => Promise<GetProductsResponse>,
): Promise<GetProductsResponse> {
  const refine = request.refine ?? [];
  const refusal = exclusivityRefusal(refine);
  if (refusal) throw refusal;
  const caller = { customerId, brandDomain: request.brand?.domain ?? null };
  const fieldOf = (i: number) => `refine[${i}].proposal_id`;
  if (refine.every(isFinalize)) {
    if (!proposals) throw unknownProposal(fieldOf(0));
    const asked = refine.map((e, i) => ({ proposalId: e.proposal_id, field: fieldOf(i) }));
    const rows = await proposals
      .finalize(storefrontId, asked, caller)
      .catch((error: unknown) => rethrow(error, fieldOf(0)));
    const shown = rows.map(shownOf);
    return {
      products: mergeProducts(shown.map((s) => s.products)),
      proposals: shown.flatMap((s) => s.proposal ?? []),
      refinement_applied: refine.map((e) => ({
        scope: 'proposal' as const,
        proposal_id: (e as ProposalEntry).proposal_id,
        status: 'applied' as const,
        notes: 'Committed at the prices shown, until expires_at; book it with create_media_buy',
      })),
    };
  }
  const applied: Applied[] = [];
  const shown: Array<{ products: Product[]; proposal: Proposal | undefined }> = [];
  for (const [i, entry] of refine.entries()) {
    if (entry.scope !== 'proposal') {
      applied.push(passedOn(entry));
      continue;
    }
    if (!proposals) throw unknownProposal(fieldOf(i));
    // The module names its own `proposal_id`; the buyer's request names this entry's.
    const { proposal } = await proposals
      .bookable(storefrontId, entry.proposal_id, caller)
      .catch((error: unknown) => {
        throw adcpProposalError(error, fieldOf(i));
      });
    if (entry.action !== 'omit') shown.push(shownOf(proposal));
    applied.push(proposalApplied(entry));
  }
  const rest = refine.filter((e) => e.scope !== 'proposal');
  const answered = rest.length > 0 ? await others({ ...request, refine: rest }) : undefined;
  return {
    ...answered,
    products: mergeProducts([answered?.products ?? [], ...shown.map((s) => s.products)]),
    proposals: shown.flatMap((s) => s.proposal ?? []),
    refinement_applied: applied,
  };
}

/** An include or omit of one of our proposals: a free-text ask is not reworked. */
function proposalApplied(entry: ProposalEntry): Applied {
  const base = { scope: 'proposal' as const, proposal_id: entry.proposal_id };
  if (entry.action === 'omit') return { ...base, status: 'applied', notes: 'Left out' };
  if (!entry.ask) return { ...base, status: 'applied' };
  return {
    ...base,
    status: 'unable',
    notes:
      'This storefront does not rework a proposal from a written ask: the proposal is shown as it stands. Send a new brief for a new proposal, or finalize this one.',
  };
}

/** A request- or product-scoped entry: the sources that hold the products were asked it. */
function passedOn(entry: Exclude<Entry, ProposalEntry>): Applied {
  const notes = 'Passed to the sources of the products; each applies what it can';
  return entry.scope === 'product'
    ? { scope: 'product', product_id: entry.product_id, status: 'partial', notes }
    : { scope: 'request', status: 'partial', notes };
}
