import { wholeList, wholeListSchema } from '../../platform/http/pagination.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  createOperatingInstructionsBody,
  operatingInstructionsSchema,
  versionParams,
} from './schemas.js';
import type { OperatingInstructionsService } from './service.js';

const tags = ['Operating instructions'];
const base = '/api/v2/storefront/operating-instructions';

/** The seller's versioned operating instructions; the storefront comes from the API key. */
export function operatingInstructionRoutes(instructions: OperatingInstructionsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'operatingInstructions.list',
      summary: 'List every operating instructions version, newest first (at most one is active)',
      tags,
      auth: 'seller',
      response: wholeListSchema(operatingInstructionsSchema),
      handler: async ({ principal, meta }) => wholeList(await instructions.list(principal), meta),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'operatingInstructions.create',
      summary: 'Save a new version (numbered max+1; not activated)',
      description:
        'Each save creates an immutable version. Activate it with POST …/{version}/activate. ' +
        'notes are internal and never shown to buyers.',
      tags,
      auth: 'seller',
      status: 201,
      body: createOperatingInstructionsBody,
      response: operatingInstructionsSchema,
      handler: ({ principal, body }) => instructions.create(principal, body),
    }),
    // Registered before /:version; the router prefers the static segment in any order.
    defineRoute({
      method: 'GET',
      url: `${base}/active`,
      operationId: 'operatingInstructions.getActive',
      summary: 'Get the active version (404 when none has been activated)',
      tags,
      auth: 'seller',
      response: operatingInstructionsSchema,
      handler: ({ principal }) => instructions.getActive(principal),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:version`,
      operationId: 'operatingInstructions.get',
      summary: 'Get one version',
      tags,
      auth: 'seller',
      params: versionParams,
      response: operatingInstructionsSchema,
      handler: ({ principal, params }) => instructions.get(principal, params.version),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:version/activate`,
      operationId: 'operatingInstructions.activate',
      summary: 'Make a version the active one (idempotent; the previous one is deactivated)',
      description:
        'Re-activating an older version is allowed. A version this storefront does not have ' +
        'answers 400 VALIDATION_ERROR.',
      tags,
      auth: 'seller',
      params: versionParams,
      response: operatingInstructionsSchema,
      handler: ({ principal, params }) => instructions.activate(principal, params.version),
    }),
  ];
}
