import { wholeList, wholeListSchema } from '../../platform/http/pagination.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  buyerInstructionParams,
  buyerInstructionSchema,
  createBuyerInstructionBody,
  deletedBuyerInstructionSchema,
  updateBuyerInstructionBody,
} from './schemas.js';
import type { BuyerInstructionsService } from './service.js';

const tags = ['Buyer instructions'];
const base = '/api/v2/storefront/buyer-instructions';

/** The seller's per-buyer tailoring; the storefront comes from the API key. */
export function buyerInstructionRoutes(instructions: BuyerInstructionsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'buyerInstructions.list',
      summary: "List the storefront's buyer instructions (id ascending)",
      tags,
      auth: 'seller',
      response: wholeListSchema(buyerInstructionSchema),
      handler: async ({ principal, meta }) => wholeList(await instructions.list(principal), meta),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'buyerInstructions.create',
      summary: 'Create buyer instructions for an (operatorDomain, brandDomain) scope',
      description:
        'All five fields are required; send null to leave one unset. Scopes: house (null, null) ' +
        'applies to any buyer; (null, brand); (operator, null); (operator, brand). A scope is ' +
        'unique per storefront (409 CONFLICT) and cannot be changed later: delete and re-create. ' +
        'The highest discountPercent among matching instructions applies.',
      tags,
      auth: 'seller',
      status: 201,
      body: createBuyerInstructionBody,
      response: buyerInstructionSchema,
      handler: ({ principal, body }) => instructions.create(principal, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:id`,
      operationId: 'buyerInstructions.update',
      summary: 'Update discountPercent, notes or countries (null clears; the scope is immutable)',
      tags,
      auth: 'seller',
      params: buyerInstructionParams,
      body: updateBuyerInstructionBody,
      response: buyerInstructionSchema,
      handler: ({ principal, params, body }) => instructions.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:id`,
      operationId: 'buyerInstructions.delete',
      summary: 'Delete buyer instructions (their scope becomes free again)',
      description:
        'Answers 200 with {id, deleted: true} in the standard envelope (the hosted docs print 204).',
      tags,
      auth: 'seller',
      params: buyerInstructionParams,
      response: deletedBuyerInstructionSchema,
      handler: ({ principal, params }) => instructions.remove(principal, params.id),
    }),
  ];
}
