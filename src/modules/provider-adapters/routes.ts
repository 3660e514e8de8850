import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  adapterParams,
  callbackBody,
  connectionSchema,
  connectStartSchema,
  createAdapterSourceBody,
  updateAdapterBody,
} from './schemas.js';
import type { ProviderAdaptersService } from './service.js';

const base = '/api/v2/storefront/inventory-sources';
const tags = ['Storefront'];

/** The operator's side of wired provider adapters (docs/adapters.md). */
export function providerAdapterRoutes(service: ProviderAdaptersService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/adapter`,
      operationId: 'createAdapterInventorySource',
      summary: 'Create an adapter-routed source of a wired provider (meta, …), not yet connected',
      description:
        'Starts ACTIVE but unconnected: it sells once the operator connected the provider account ' +
        '(POST …/{sourceId}/adapter/connect) and an ad account is chosen.',
      tags,
      auth: 'seller',
      status: 201,
      body: createAdapterSourceBody,
      response: connectionSchema,
      handler: ({ principal, body }) => service.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/adapter`,
      operationId: 'getAdapterInventorySource',
      summary: 'How an adapter source stands: connection status, accounts, the next action',
      tags,
      auth: 'seller',
      params: adapterParams,
      response: connectionSchema,
      handler: ({ principal, params }) => service.get(principal, params.sourceId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:sourceId/adapter`,
      operationId: 'updateAdapterInventorySource',
      summary: 'Choose the ad account (and Page, default countries) an adapter source buys in',
      tags,
      auth: 'seller',
      params: adapterParams,
      body: updateAdapterBody,
      response: connectionSchema,
      handler: ({ principal, params, body }) => service.update(principal, params.sourceId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/adapter/connect`,
      operationId: 'connectAdapterInventorySource',
      summary: "Start delegated OAuth: the provider's consent URL for the operator to open",
      description:
        'The state in it is single use, bound to the caller and expires after 10 minutes. The ' +
        "provider redirects to callbackUrl, which every provider's OAuth app must allow.",
      tags,
      auth: 'seller',
      params: adapterParams,
      response: connectStartSchema,
      handler: ({ principal, params }) => service.connect(principal, params.sourceId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/adapters/oauth/callback',
      operationId: 'completeAdapterOAuth',
      summary: 'Finish delegated OAuth without a browser: the code and state the provider sent',
      tags,
      auth: 'seller',
      body: callbackBody,
      response: z.object({ sourceId: z.string(), status: z.string() }),
      handler: ({ principal, body }) => service.complete(body, principal),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:sourceId/adapter/connection`,
      operationId: 'disconnectAdapterInventorySource',
      summary: 'Disconnect: the grant is withdrawn at the provider and forgotten',
      tags,
      auth: 'seller',
      params: adapterParams,
      response: connectionSchema,
      handler: ({ principal, params }) => service.disconnect(principal, params.sourceId),
    }),
  ];
}
