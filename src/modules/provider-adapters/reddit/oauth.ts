import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderGrant, ProviderOAuth } from '../contract.js';
import { oauth2 } from '../oauth/oauth2.js';
import { redditUserAgent } from './api.js';

/*
 * Reddit's OAuth 2 ("OAuth2" in github.com/reddit-archive/reddit/wiki/OAuth2, which the Ads API
 * v3 guide, https://ads-api.reddit.com/docs/v3/, points to): the operator consents at
 * www.reddit.com/api/v1/authorize (client_id, response_type=code, state, redirect_uri,
 * duration=permanent for a refresh token, space-separated scopes) and is sent back with `code`
 * and `state`; POST www.reddit.com/api/v1/access_token, the app authenticated by HTTP Basic,
 * exchanges it (grant_type=authorization_code) for an access token of one hour and a refresh
 * token, and renews the access token (grant_type=refresh_token; the refresh token stays).
 * POST /api/v1/revoke_token (token, token_type_hint=refresh_token) withdraws the grant.
 * Reddit refuses calls without a descriptive User-Agent, so every call carries ours.
 */

const scopes = ['adsread', 'adsedit', 'adsconversions', 'history'];

export function redditOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  const revokeUrl = new URL('revoke_token', app.authorizeUrl).toString();
  const headers = { 'user-agent': redditUserAgent };
  return oauth2(fetch, {
    provider: 'Reddit',
    env: 'REDDIT',
    app,
    tokenUrl: new URL('access_token', app.authorizeUrl).toString(),
    scopes,
    scopeSeparator: ' ',
    clientAuth: 'basic',
    authorizeParams: { duration: 'permanent' },
    headers,
    // Best effort: a grant Reddit no longer knows is gone either way.
    async revoke(grant: ProviderGrant) {
      if (!app.clientId || !app.clientSecret) return;
      const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
      const res = await fetch(revokeUrl, {
        method: 'POST',
        headers: {
          ...headers,
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          token: grant.refreshToken ?? grant.accessToken,
          token_type_hint: grant.refreshToken ? 'refresh_token' : 'access_token',
        }).toString(),
        timeoutMs: 10_000,
      });
      await res.body?.cancel().catch(() => undefined);
    },
    now,
  });
}
