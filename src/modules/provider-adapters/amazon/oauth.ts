import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AmazonAdsApp } from '../../../provider-config.js';
import type { ProviderOAuth } from '../contract.js';
import { oauth2 } from '../oauth/oauth2.js';

/*
 * Login with Amazon as the Amazon Ads API uses it ("Authorization grants" and "Access tokens",
 * https://advertising.amazon.com/API/docs/en-us/guides/get-started/create-authorization-grant,
 * and the Auth folder of Amazon's Postman collection, github.com/amzn/ads-advanced-tools-docs):
 * the operator consents at www.amazon.com/ap/oa (client_id, scope=advertising::campaign_management,
 * response_type=code, redirect_uri, state) and comes back with `code`, `scope` and `state`;
 * POST api.amazon.com/auth/o2/token, client_id and client_secret in the form, exchanges it
 * (grant_type=authorization_code) for an access token of an hour and a refresh token that does
 * not expire, and renews the access token with grant_type=refresh_token. An invalid_grant there
 * (the owner removed the app's access, or the grant lapsed) loses the connection. Amazon
 * documents no revocation endpoint for these grants: disconnect forgets the grant.
 */

export function amazonOAuth(
  fetch: OutboundFetch,
  app: AmazonAdsApp,
  now: () => number,
): ProviderOAuth {
  return oauth2(fetch, {
    provider: 'Amazon',
    env: 'AMAZON',
    app,
    tokenUrl: app.tokenUrl,
    scopes: ['advertising::campaign_management'],
    scopeSeparator: ' ',
    clientAuth: 'body',
    now,
  });
}
