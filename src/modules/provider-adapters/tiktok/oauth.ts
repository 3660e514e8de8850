import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderGrant, ProviderOAuth } from '../contract.js';
import { ProviderError } from '../errors.js';
import { createTikTokApi } from './api.js';

/*
 * TikTok's advertiser authorization ("Authorization",
 * https://business-api.tiktok.com/portal/docs?id=1738373141733378, and "Authentication",
 * …?id=1738373164380162): the operator opens the advertiser authorization page
 * (`/portal/auth?app_id&state&redirect_uri`), approves, and is sent back with `auth_code` and
 * `state`; POST /oauth2/access_token/ with app_id, secret and auth_code answers a long-term
 * access token (no expiry, no refresh token) and the advertiser ids it may manage. Disconnect is
 * POST /oauth2/revoke_token/. TikTok's consent has no PKCE.
 */

interface TokenData {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  advertiser_ids?: unknown;
}

export function tiktokOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  const api = createTikTokApi(fetch, app.apiUrl);
  const client = () => {
    if (!app.clientId || !app.clientSecret) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'TikTok is not configured on this instance (INTERCHANGE_TIKTOK_CLIENT_ID and INTERCHANGE_TIKTOK_CLIENT_SECRET)',
      );
    }
    return { app_id: app.clientId, secret: app.clientSecret };
  };
  const grantOf = (data: TokenData): ProviderGrant => {
    if (typeof data.access_token !== 'string' || !data.access_token) {
      throw new ProviderError('AUTH_REQUIRED', 'TikTok answered the token request without a token');
    }
    const issuedAt = now();
    return {
      accessToken: data.access_token,
      refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : null,
      issuedAt,
      // Advertiser tokens are long-term; a lifetime is honoured if TikTok ever sends one.
      expiresAt: typeof data.expires_in === 'number' ? issuedAt + data.expires_in * 1000 : null,
    };
  };
  return {
    authorizationUrl({ state, redirectUri }) {
      const url = new URL(app.authorizeUrl);
      url.search = new URLSearchParams({
        app_id: client().app_id,
        state,
        redirect_uri: redirectUri,
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code }) {
      return grantOf(
        await api.post<TokenData>('oauth2/access_token', null, { ...client(), auth_code: code }),
      );
    },
    // A long-term token never reaches its refresh time (refreshAtOf is null without an expiry).
    refresh: (grant) => Promise.resolve(grant),
    async revoke(grant) {
      await api
        .post('oauth2/revoke_token', null, { ...client(), access_token: grant.accessToken })
        .catch(() => undefined);
    },
  };
}
