import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import type { GetProductsRequest } from '@adcp/sdk/types';
import type { ProposalsService } from '../../../modules/proposals/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { adcpProposalError } from './proposals.js';

/**
 * AdCP 3.1's refusals of a get_products refine, before any source is asked: finalize entries
 * cannot share a request with other refine entries (INVALID_REQUEST on the first entry of the
 * other kind), and every proposal-scoped entry must name a proposal this buyer may use on this
 * storefront (PROPOSAL_NOT_FOUND / PROPOSAL_EXPIRED on `refine[k].proposal_id`), as
 * create_media_buy's proposal_id must.
 */
export async function refuseRefine(
  proposals: Pick<ProposalsService, 'bookable'> | undefined,
  storefrontId: number,
  customerId: number,
  request: GetProductsRequest,
): Promise<void> {
  if (request.buying_mode !== 'refine') return;
  const asks: Record<string, unknown>[] = (request.refine ?? []).map((ask) =>
    isRecord(ask) ? ask : {},
  );
  const finalizing = asks.map((ask) => ask['action'] === 'finalize');
  const other = finalizing.findIndex((f) => f !== finalizing[0]);
  if (other > 0) {
    throw new InvalidRequestError(
      `refine[${other}]`,
      'finalize entries cannot be mixed with other refine entries: finalize in a request of its own, then refine again',
    );
  }
  for (const [index, ask] of asks.entries()) {
    if (ask['scope'] !== 'proposal') continue;
    const field = `refine[${index}].proposal_id`;
    const proposalId = ask['proposal_id'];
    if (!proposals || typeof proposalId !== 'string') throw proposalNotFound(field);
    try {
      await proposals.bookable(storefrontId, proposalId, {
        customerId,
        brandDomain: request.brand?.domain ?? null,
      });
    } catch (error) {
      throw adcpProposalError(error, field);
    }
  }
}

const proposalNotFound = (field: string) =>
  new AdcpError('PROPOSAL_NOT_FOUND', {
    message: 'Proposal not found: ask get_products for a current proposal',
    field,
    recovery: 'correctable',
  });
