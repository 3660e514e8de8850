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
      summary: 'Start OAuth consent for an agent: returns the authorization URL and its state',
      description:
        'Authorization-code flow with PKCE. accountIdentifier defaults to oauth_<customerId>. ' +
        'The state is single use and expires after 10 minutes. redirectUri (hosted API) may only ' +
        "be this server's /api/v2/storefront/oauth/callback or a URL on an origin listed in " +
        'INTERCHANGE_OAUTH_REDIRECT_ORIGINS; whoever receives the code finishes with ' +
        'POST /agents/{agentId}/oauth/callback. authorizeUrl repeats authorizationUrl for older clients.',
      tags,
      auth: 'customer',
      params: agentParams,
      body: authorizeBody,
      response: z.object({
        authorizationUrl: z.string(),
        agentId: z.string(),
        agentName: z.string(),
        state: z.string(),
        authorizeUrl: z.string(),
      }),
      handler: async ({ principal, params, body }) => {
        const started = await access.oauth.authorize(
          principal,
          params.agentId,
          body?.accountIdentifier,
          body?.redirectUri,
        );
        return {
          authorizationUrl: started.authorizationUrl,
          agentId: started.agentId,
          agentName: started.agentName,
          state: started.state,
          authorizeUrl: started.authorizationUrl,
        };
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
