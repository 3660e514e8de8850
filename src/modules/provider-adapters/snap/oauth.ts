import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderOAuth } from '../contract.js';
import { oauth2 } from '../oauth/oauth2.js';

/*
 * Snap's OAuth ("Authentication",
 * https://developers.snap.com/api/marketing-api/Ads-API/authentication): the operator consents
 * at accounts.snapchat.com/login/oauth2/authorize (client_id, redirect_uri, response_type=code,
 * scope=snapchat-marketing-api, state) and is sent back with `code` and `state`;
 * POST accounts.snapchat.com/login/oauth2/access_token with client_id and client_secret in the
 * form exchanges it (grant_type=authorization_code) for an access token of about an hour and a
 * refresh token, and renews it (grant_type=refresh_token). The token endpoint sits beside the
 * consent page (`access_token` in the same folder as `authorize`), so it follows
 * INTERCHANGE_SNAP_AUTHORIZE_URL. Snap documents no revocation endpoint: disconnect forgets the
 * grant.
 */

export function snapOAuth(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number,
): ProviderOAuth {
  return oauth2(fetch, {
    provider: 'Snap',
    env: 'SNAP',
    app,
    tokenUrl: new URL('access_token', app.authorizeUrl).toString(),
    scopes: ['snapchat-marketing-api'],
    scopeSeparator: ' ',
    clientAuth: 'body',
    now,
  });
}
