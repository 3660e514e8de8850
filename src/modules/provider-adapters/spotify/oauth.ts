import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderOAuth } from '../contract.js';
import { oauth2 } from '../oauth/oauth2.js';

/*
 * Spotify Accounts' authorization-code flow as the Ads API uses it ("Quickstart: Authenticate
 * your Ad Studio account" and "Using the refresh token",
 * https://developer.spotify.com/documentation/ads-api/quick-start): the operator consents at
 * accounts.spotify.com/authorize (client_id, response_type=code, redirect_uri, state; the Ads API
 * needs no scope) and comes back with `code` and `state`, or `error=access_denied`;
 * POST accounts.spotify.com/api/token with the app as HTTP Basic exchanges the code
 * (grant_type=authorization_code) for an access token of an hour and a refresh token, and renews
 * it (grant_type=refresh_token; an answer without a new refresh token keeps the old one). The
 * token endpoint is `/api/token` on the consent page's origin, so it follows
 * INTERCHANGE_SPOTIFY_AUTHORIZE_URL. Spotify documents no revocation endpoint: disconnect forgets
 * the grant, and the owner removes the app under their Spotify account's "Manage apps".
 */

export function spotifyOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  return oauth2(fetch, {
    provider: 'Spotify',
    env: 'SPOTIFY',
    app,
    tokenUrl: new URL('/api/token', app.authorizeUrl).toString(),
    scopes: [],
    scopeSeparator: ' ',
    clientAuth: 'basic',
    now,
  });
}
