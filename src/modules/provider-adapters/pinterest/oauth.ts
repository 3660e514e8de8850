import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderOAuth } from '../contract.js';
import { oauth2 } from '../oauth/oauth2.js';

/*
 * Pinterest's OAuth ("Set up authentication and authorization",
 * https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/,
 * and POST /oauth/token in the v5 reference): the operator consents at www.pinterest.com/oauth/
 * (client_id, redirect_uri, response_type=code, comma-separated scopes, state) and is sent back
 * with `code` and `state`; POST {api}/oauth/token, the app authenticated by HTTP Basic, exchanges
 * it (grant_type=authorization_code, with continuous_refresh=true so the refresh token is
 * renewed with every refresh instead of ending after a year) for a 30-day access token and a
 * refresh token; grant_type=refresh_token renews both. Pinterest documents no revocation
 * endpoint: disconnect forgets the grant (the owner removes the app in their Pinterest settings).
 */

// catalogs:read and catalogs:write: the buyers' catalogs (catalogs.ts), asked since they were built.
const scopes = [
  'ads:read',
  'ads:write',
  'catalogs:read',
  'catalogs:write',
  'pins:read',
  'pins:write',
  'user_accounts:read',
];

export function pinterestOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  return oauth2(fetch, {
    provider: 'Pinterest',
    env: 'PINTEREST',
    app,
    tokenUrl: `${app.apiUrl}/oauth/token`,
    authorizeUrl: app.authorizeUrl.endsWith('/') ? app.authorizeUrl : `${app.authorizeUrl}/`,
    scopes,
    scopeSeparator: ',',
    clientAuth: 'basic',
    codeParams: { continuous_refresh: 'true' },
    now,
  });
}
