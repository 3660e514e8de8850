import { z } from 'zod';
import { defineRoute } from '../../../platform/http/route.js';
import { agentParams, authorizeBody, oauthCallbackBody } from '../schemas.js';
import type { BuyerAccessService } from '../service.js';

const tags = ['OAuth'];

/** Seed 002's OAuth endpoints, on the /api/v2/storefront mount, for buyers and sellers alike. */
export function oauthRoutes(access: BuyerAccessService) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/agents/:agentId/accounts/oauth/authorize',
      operationId: 'oauth.authorize',
      summary: 'Start OAuth consent for an agent: returns the authorize URL and its state',
      description:
        'Authorization-code flow with PKCE. accountIdentifier defaults to oauth_<customerId>. ' +
        'The state is single use and expires after 10 minutes.',
      tags,
      auth: 'customer',
      params: agentParams,
      body: authorizeBody,
      response: z.object({ authorizeUrl: z.string(), state: z.string() }),
      handler: async ({ principal, params, body }) => {
        const started = await access.oauth.authorize(
          principal,
          params.agentId,
          body?.accountIdentifier,
        );
        return { authorizeUrl: started.authorizeUrl, state: started.state };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/agents/:agentId/oauth/callback',
      operationId: 'oauth.callback',
      summary: 'Finish OAuth consent from an agent (no browser): exchange code and state',
      tags,
      auth: 'customer',
      params: agentParams,
      body: oauthCallbackBody,
      response: z.object({ credentialId: z.string(), agentId: z.string(), status: z.string() }),
      handler: ({ principal, body }) => access.oauth.complete(body.state, body.code, principal),
    }),
  ];
}
