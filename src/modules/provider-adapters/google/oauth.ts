import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { GoogleAdsApp } from '../../../provider-config.js';
import type { ProviderGrant, ProviderOAuth } from '../contract.js';
import { ProviderError } from '../errors.js';
import { providerSender } from '../shared/provider-http.js';

/*
 * Google's OAuth 2.0 for web server applications ("Using OAuth 2.0 for Web Server
 * Applications", https://developers.google.com/identity/protocols/oauth2/web-server): the
 * consent page with our client id, redirect URI, state, the Google Ads scope
 * (https://www.googleapis.com/auth/adwords), `access_type=offline` and `prompt=consent` (so a
 * refresh token is issued on every consent) and a PKCE S256 challenge; the code exchanged at
 * the token endpoint with the verifier (grant_type=authorization_code), answering a one-hour
 * access token and a refresh token; refresh with grant_type=refresh_token (the answer has no new
 * refresh token: the old one stays); disconnect by POST /revoke with the refresh token. The
 * token endpoint refuses with {error, error_description}: `invalid_grant` means the grant is
 * gone (revoked, expired, the user's password changed), `invalid_client` means our app id or
 * secret is wrong.
 */

export const googleAdsScope = 'https://www.googleapis.com/auth/adwords';

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
}

function tokenError(status: number, body: TokenAnswer): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) {
    return new ProviderError('RATE_LIMITED', 'Google sign-in is rate limiting this app', {
      retryable: true,
      retryAfterSeconds: 30,
    });
  }
  if (status >= 500) {
    return new ProviderError('SERVICE_UNAVAILABLE', 'Google sign-in is temporarily unavailable', {
      retryable: true,
    });
  }
  if (body.error === 'invalid_client' || body.error === 'unauthorized_client') {
    return new ProviderError(
      'SERVICE_UNAVAILABLE',
      "Google refused this instance's OAuth client (INTERCHANGE_GOOGLE_CLIENT_ID/_SECRET)",
    );
  }
  return new ProviderError(
    'AUTH_REQUIRED',
    'The Google Ads connection has lost its authorization',
    {
      grantLost: true,
    },
  );
}

export function googleOAuth(
  fetch: OutboundFetch,
  app: GoogleAdsApp,
  now: () => number,
): ProviderOAuth {
  const send = providerSender(fetch, {
    provider: 'Google',
    errorOf: (status, body) => tokenError(status, body as TokenAnswer),
  });
  const client = () => {
    if (!app.clientId || !app.clientSecret || !app.developerToken) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Google Ads is not configured on this instance (INTERCHANGE_GOOGLE_CLIENT_ID, INTERCHANGE_GOOGLE_CLIENT_SECRET and INTERCHANGE_GOOGLE_DEVELOPER_TOKEN)',
      );
    }
    return { client_id: app.clientId, client_secret: app.clientSecret };
  };
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  const grantOf = (answer: TokenAnswer, refreshToken: string | null): ProviderGrant => {
    if (typeof answer.access_token !== 'string' || !answer.access_token) {
      throw new ProviderError('AUTH_REQUIRED', 'Google answered the token request without a token');
    }
    const issuedAt = now();
    return {
      accessToken: answer.access_token,
      refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : refreshToken,
      issuedAt,
      expiresAt: typeof answer.expires_in === 'number' ? issuedAt + answer.expires_in * 1000 : null,
    };
  };
  return {
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const url = new URL(app.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: client().client_id,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: googleAdsScope,
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: 'true',
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const grant = grantOf(
        await send<TokenAnswer>(
          app.tokenUrl,
          form({
            ...client(),
            grant_type: 'authorization_code',
            code,
            redirect_uri: redirectUri,
            code_verifier: codeVerifier,
          }),
        ),
        null,
      );
      if (!grant.refreshToken) {
        throw new ProviderError('AUTH_REQUIRED', 'Google issued no refresh token; connect again');
      }
      return grant;
    },
    async refresh(grant) {
      if (!grant.refreshToken) {
        throw new ProviderError('AUTH_REQUIRED', 'The Google Ads grant has no refresh token', {
          grantLost: true,
        });
      }
      return grantOf(
        await send<TokenAnswer>(
          app.tokenUrl,
          form({ ...client(), grant_type: 'refresh_token', refresh_token: grant.refreshToken }),
        ),
        grant.refreshToken,
      );
    },
    async revoke(grant) {
      await send(app.revokeUrl, form({ token: grant.refreshToken ?? grant.accessToken })).catch(
        () => undefined,
      );
    },
  };
}
