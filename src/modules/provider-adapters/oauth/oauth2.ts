import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type { ProviderGrant, ProviderOAuth } from '../contract.js';
import { ProviderError } from '../errors.js';
import { providerSender } from '../shared/provider-http.js';

/*
 * The authorization-code grant of RFC 6749 as providers with a plain token endpoint speak it
 * (Pinterest, Snap, Spotify, Reddit): the consent URL with our state and redirect URI, the code exchanged at the
 * token endpoint (form-encoded, the app authenticated by HTTP Basic or by client_id and
 * client_secret in the body), and the refresh token exchanged for a fresh grant before the
 * access token expires. A provider that rotates its refresh token answers a new one; one that
 * does not keeps the old. Meta and TikTok have their own flows (meta/oauth.ts, tiktok/oauth.ts).
 */

export interface OAuth2Options {
  /** The provider's name in messages ("Pinterest"). */
  provider: string;
  /** The upper-case part of its variables (`INTERCHANGE_${env}_CLIENT_ID`). */
  env: string;
  app: ProviderApp;
  tokenUrl: string;
  /** The consent page when it is not `app.authorizeUrl` as configured (Pinterest's ends in /). */
  authorizeUrl?: string;
  scopes: string[];
  scopeSeparator: ' ' | ',';
  /** How the app proves itself at the token endpoint. */
  clientAuth: 'basic' | 'body';
  /** Extra form fields of the code exchange (Pinterest: continuous_refresh). */
  codeParams?: Record<string, string>;
  /** Extra parameters of the consent URL (Reddit: duration=permanent for a refresh token). */
  authorizeParams?: Record<string, string>;
  /** Extra headers on token calls (Reddit refuses requests without a descriptive User-Agent). */
  headers?: Record<string, string>;
  /** Withdraws the grant at the provider when it documents a way; otherwise it is forgotten. */
  revoke?: (grant: ProviderGrant) => Promise<void>;
  now: () => number;
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
}

/** The token endpoint's refusal: a refused code or refresh token loses the grant. */
function tokenError(provider: string, status: number, body: TokenAnswer): ProviderError | null {
  if (status >= 200 && status < 300 && typeof body.access_token === 'string') return null;
  if (status === 429) {
    return new ProviderError('RATE_LIMITED', `${provider} is rate limiting this app`, {
      retryable: true,
      retryAfterSeconds: 60,
    });
  }
  if (status >= 500) {
    return new ProviderError('SERVICE_UNAVAILABLE', `${provider} is temporarily unavailable`, {
      retryable: true,
    });
  }
  return new ProviderError('AUTH_REQUIRED', `${provider} refused the authorization`, {
    grantLost: true,
  });
}

export function oauth2(fetch: OutboundFetch, options: OAuth2Options): ProviderOAuth {
  const { app, provider, now } = options;
  const send = providerSender(fetch, {
    provider,
    errorOf: (status, body) => tokenError(provider, status, body as TokenAnswer),
  });
  const client = () => {
    if (!app.clientId || !app.clientSecret) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        `${provider} is not configured on this instance (INTERCHANGE_${options.env}_CLIENT_ID and INTERCHANGE_${options.env}_CLIENT_SECRET)`,
      );
    }
    return { id: app.clientId, secret: app.clientSecret };
  };

  async function token(form: Record<string, string>, previous?: ProviderGrant) {
    const { id, secret } = client();
    const headers: Record<string, string> = {
      ...options.headers,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const body = new URLSearchParams(form);
    if (options.clientAuth === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    } else {
      body.set('client_id', id);
      body.set('client_secret', secret);
    }
    const answer = await send<TokenAnswer>(options.tokenUrl, {
      method: 'POST',
      headers,
      body: body.toString(),
    });
    const issuedAt = now();
    return {
      accessToken: answer.access_token as string,
      refreshToken:
        typeof answer.refresh_token === 'string'
          ? answer.refresh_token
          : (previous?.refreshToken ?? null),
      issuedAt,
      expiresAt: typeof answer.expires_in === 'number' ? issuedAt + answer.expires_in * 1000 : null,
    };
  }

  return {
    authorizationUrl({ state, redirectUri }) {
      const url = new URL(options.authorizeUrl ?? app.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: client().id,
        redirect_uri: redirectUri,
        response_type: 'code',
        // A provider that grants its API without scopes (Spotify's Ads API) is asked for none.
        ...(options.scopes.length && { scope: options.scopes.join(options.scopeSeparator) }),
        ...options.authorizeParams,
        state,
      }).toString();
      return url.toString();
    },
    exchangeCode: ({ code, redirectUri }) =>
      token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        ...options.codeParams,
      }),
    async refresh(grant) {
      if (!grant.refreshToken) {
        throw new ProviderError('AUTH_REQUIRED', `${provider} gave no refresh token`, {
          grantLost: true,
        });
      }
      return token({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }, grant);
    },
    revoke: (grant) => (options.revoke ? options.revoke(grant) : Promise.resolve()),
  };
}
