import { importPKCS8, SignJWT } from 'jose';
import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError } from '../port.js';

/*
 * OAuth 2.0 for a Google service account (developers.google.com/identity/protocols/oauth2/
 * service-account): a JWT signed with the account's private key (RS256; iss = the account's
 * email, scope, aud = the token endpoint, iat, exp ≤ 1 h) is exchanged at the token endpoint
 * (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer) for a bearer access token.
 */

export const dfpScope = 'https://www.googleapis.com/auth/dfp';

/** The fields of a service account's JSON key that the exchange uses. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string | undefined;
}

export function tokenSource(options: {
  key: ServiceAccountKey;
  tokenUrl: string;
  fetch: OutboundFetch;
  now?: () => number;
}): () => Promise<string> {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && cached.expiresAt - 60_000 > now()) return cached.token;
    let signingKey;
    try {
      signingKey = await importPKCS8(options.key.private_key, 'RS256');
    } catch {
      throw new AdServerError(
        'ADAPTER_INVALID_CREDENTIALS',
        'The service-account key holds no usable RSA private key',
      );
    }
    const issuedAt = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope: dfpScope })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        ...(options.key.private_key_id && { kid: options.key.private_key_id }),
      })
      .setIssuer(options.key.client_email)
      .setAudience(options.tokenUrl)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(signingKey);
    let response: Response;
    try {
      response = await options.fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }).toString(),
        timeoutMs: 15_000,
      });
    } catch {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        'The token endpoint could not be reached',
        undefined,
        true,
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body['access_token'] !== 'string') {
      if (response.status >= 500 || response.status === 429) {
        throw new AdServerError(
          'ADAPTER_CONNECTION_FAILED',
          `The token endpoint answered ${response.status}`,
          undefined,
          true,
        );
      }
      const reason = typeof body['error'] === 'string' ? body['error'] : undefined;
      throw new AdServerError(
        'ADAPTER_INVALID_CREDENTIALS',
        `The service account was refused a token${reason ? ` (${reason})` : ''}`,
        reason,
      );
    }
    const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : 3600;
    cached = { token: body['access_token'], expiresAt: now() + expiresIn * 1000 };
    return cached.token;
  };
}
