import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderGrant, ProviderOAuth } from '../contract.js';
import { ProviderError } from '../errors.js';
import { createGraph } from './graph.js';

/*
 * Facebook Login for a server ("Manually Build a Login Flow",
 * https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow): the login
 * dialog with our state and redirect URI, the code exchanged at /oauth/access_token, and the
 * short-lived user token exchanged for a long-lived one (grant_type=fb_exchange_token, "Long-Lived
 * Access Tokens", about 60 days). Meta has no refresh token: a long-lived token still valid is
 * exchanged again for a fresh one before it expires. Disconnect deletes the app's permissions
 * (DELETE /me/permissions).
 */

// catalog_management: the buyers' product catalogs (catalogs.ts); asked since catalogs were built.
const scopes = [
  'ads_management',
  'ads_read',
  'business_management',
  'catalog_management',
  'pages_show_list',
];

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}

export function metaOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  const graph = createGraph(fetch, app.apiUrl);
  const client = () => {
    if (!app.clientId || !app.clientSecret) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Meta is not configured on this instance (INTERCHANGE_META_CLIENT_ID and INTERCHANGE_META_CLIENT_SECRET)',
      );
    }
    return { client_id: app.clientId, client_secret: app.clientSecret };
  };
  const grantOf = (answer: TokenAnswer): ProviderGrant => {
    if (typeof answer.access_token !== 'string') {
      throw new ProviderError('AUTH_REQUIRED', 'Meta answered the token request without a token');
    }
    const issuedAt = now();
    return {
      accessToken: answer.access_token,
      refreshToken: null,
      issuedAt,
      expiresAt: typeof answer.expires_in === 'number' ? issuedAt + answer.expires_in * 1000 : null,
    };
  };
  const longLived = async (token: string) =>
    grantOf(
      await graph.post<TokenAnswer>('oauth/access_token', null, {
        grant_type: 'fb_exchange_token',
        ...client(),
        fb_exchange_token: token,
      }),
    );
  return {
    authorizationUrl({ state, redirectUri }) {
      const url = new URL(app.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: client().client_id,
        redirect_uri: redirectUri,
        state,
        response_type: 'code',
        scope: scopes.join(','),
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code, redirectUri }) {
      const short = grantOf(
        await graph.post<TokenAnswer>('oauth/access_token', null, {
          ...client(),
          redirect_uri: redirectUri,
          code,
        }),
      );
      return longLived(short.accessToken);
    },
    refresh: (grant) => longLived(grant.accessToken),
    async revoke(grant) {
      await graph.delete('me/permissions', grant.accessToken).catch(() => undefined);
    },
  };
}
