import { defineRoute } from '../../platform/http/route.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  codeParams,
  createCodeBody,
  listCodesQuery,
  proposalCodeListSchema,
  proposalCodeSchema,
  updateCodeBody,
} from './schemas.js';
import type { ProposalsService } from './service.js';

const tags = ['Storefront'];
const base = '/api/v2/storefront/proposals';

/**
 * The seller's proposal codes (hosted storefront proposals). The storefront is the caller's own
 * (`ownStorefrontId`), so another seller's code id answers not found.
 */
export function proposalRoutes(
  proposals: ProposalsService,
  ownStorefrontId: (principal: CustomerPrincipal) => Promise<number>,
) {
  return [
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createStorefrontProposal',
      summary: 'Issue a proposal code for one buyer over a proposal this storefront answered',
      description:
        'proposalId names a proposal the storefront answered in get_products (AdCP `proposals`); ' +
        "expiresAt must be in the future and no later than that proposal's own expiry.",
      tags,
      auth: 'seller',
      status: 201,
      body: createCodeBody,
      response: proposalCodeSchema,
      handler: async ({ principal, body }) =>
        proposals.createCode(await ownStorefrontId(principal), principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listStorefrontProposals',
      summary: "List the storefront's proposal codes, oldest first",
      tags,
      auth: 'seller',
      query: listCodesQuery,
      response: proposalCodeListSchema,
      handler: async ({ principal, query }) =>
        proposals.listCodes(await ownStorefrontId(principal), query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:id`,
      operationId: 'getStorefrontProposal',
      summary: 'Get one proposal code with the snapshot its buyer is shown',
      tags,
      auth: 'seller',
      params: codeParams,
      response: proposalCodeSchema,
      handler: async ({ principal, params }) =>
        proposals.getCode(await ownStorefrontId(principal), params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:id`,
      operationId: 'updateStorefrontProposal',
      summary: "Change an active code's label, notes or expiry",
      tags,
      auth: 'seller',
      params: codeParams,
      body: updateCodeBody,
      response: proposalCodeSchema,
      handler: async ({ principal, params, body }) =>
        proposals.updateCode(await ownStorefrontId(principal), params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:id/revoke`,
      operationId: 'revokeStorefrontProposal',
      summary: 'Revoke a code: its buyer can no longer see or book the proposal through it',
      tags,
      auth: 'seller',
      params: codeParams,
      response: proposalCodeSchema,
      handler: async ({ principal, params }) =>
        proposals.revokeCode(await ownStorefrontId(principal), params.id),
    }),
  ];
}
