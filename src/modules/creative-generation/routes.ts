import { defineRoute } from '../../platform/http/route.js';
import type { CredentialsService } from './credentials.js';
import type { ProductionsService } from './productions.js';
import {
  advertiserCredentialListSchema,
  advertiserParams,
  connectCredentialBody,
  createProductionBody,
  credentialParams,
  credentialSchema,
  productionListSchema,
  productionParams,
  productionSchema,
  updateCredentialBody,
} from './schemas.js';
import { credentialView, productionView } from './views.js';

const tags = ['Creatives'];
const advertiserBase = '/api/v2/buyer/advertisers/:advertiserId/creative';

export function creativeGenerationRoutes(
  credentials: CredentialsService,
  productions: ProductionsService,
) {
  const view = ({ row, asset }: Awaited<ReturnType<ProductionsService['get']>>) =>
    productionView(row, asset, productions.linkOf);
  return [
    defineRoute({
      method: 'GET',
      url: `${advertiserBase}/model-credentials`,
      operationId: 'listCreativeModelCredentials',
      summary: 'List generation-provider keys for an advertiser',
      description:
        "The advertiser's own keys and the customer's default (all advertisers) keys, each with a " +
        'masked hint (never the key) and `effective: true` on the one its productions use.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      response: advertiserCredentialListSchema,
      handler: async ({ principal, params }) =>
        (await credentials.list(principal, params.advertiserId)).map((c) => ({
          ...credentialView(c.row),
          assignment: c.assignment,
          effective: c.effective,
        })),
    }),
    defineRoute({
      method: 'POST',
      url: `${advertiserBase}/model-credentials`,
      operationId: 'connectCreativeModelCredential',
      summary: 'Connect a generation-provider key for an advertiser',
      description:
        'The key is checked at the provider first (a key it refuses is 400 on apiKey), then ' +
        'sealed at rest and never answered or logged. Only audiostack is built on this instance.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      body: connectCredentialBody,
      response: credentialSchema,
      handler: async ({ principal, params, body }) =>
        credentialView(await credentials.connect(principal, params.advertiserId, body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v2/buyer/creative/model-credentials/:id',
      operationId: 'updateCreativeModelCredential',
      summary: 'Update or rotate a generation-provider key',
      description:
        'apiKey rotates the key alone (checked at the provider first); label, advertiserIds and ' +
        'isDefault change only when given.',
      tags,
      auth: 'customer',
      params: credentialParams,
      body: updateCredentialBody,
      response: credentialSchema,
      handler: async ({ principal, params, body }) =>
        credentialView(await credentials.update(principal, params.id, body)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v2/buyer/creative/model-credentials/:id',
      operationId: 'revokeCreativeModelCredential',
      summary: 'Revoke a generation-provider key (forgotten here; revoke it at the provider too)',
      tags,
      auth: 'customer',
      params: credentialParams,
      response: credentialSchema,
      handler: async ({ principal, params }) =>
        credentialView(await credentials.revoke(principal, params.id)),
    }),
    defineRoute({
      method: 'POST',
      url: `${advertiserBase}/audio-productions`,
      operationId: 'createAudioProduction',
      summary: 'Produce an audio creative at AudioStack from a script and a voice',
      description:
        "Runs with the advertiser's effective AudioStack key (422 MODEL_CREDENTIAL_REQUIRED " +
        'without one) as a durable job: script, speech, mix with the sound template, MP3 ' +
        'encoding; the file becomes a creative asset (asset_source SYSTEM_PROCESSED). Answers ' +
        '202 with the production; read it until READY (asset) or FAILED (error). Send an ' +
        'Idempotency-Key so a retried request does not produce (and bill) twice.',
      tags,
      auth: 'customer',
      status: 202,
      params: advertiserParams,
      body: createProductionBody,
      response: productionSchema,
      handler: async ({ principal, params, body }) =>
        view(await productions.request(principal, params.advertiserId, body)),
    }),
    defineRoute({
      method: 'GET',
      url: `${advertiserBase}/audio-productions`,
      operationId: 'listAudioProductions',
      summary: "The advertiser's audio productions, newest first (100 at most)",
      tags,
      auth: 'customer',
      params: advertiserParams,
      response: productionListSchema,
      handler: async ({ principal, params }) =>
        (await productions.list(principal, params.advertiserId)).map(view),
    }),
    defineRoute({
      method: 'GET',
      url: `${advertiserBase}/audio-productions/:productionId`,
      operationId: 'getAudioProduction',
      summary: 'An audio production: its status, the step reached, and its asset once READY',
      tags,
      auth: 'customer',
      params: productionParams,
      response: productionSchema,
      handler: async ({ principal, params }) =>
        view(await productions.get(principal, params.advertiserId, params.productionId)),
    }),
  ];
}
