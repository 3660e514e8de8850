import { createHash, randomBytes } from 'node:crypto';
import type { OutboundFetch } from '../../../platform/outbound/index.js';

/** PKCE (RFC 7636) with S256. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when the server gave no lifetime. */
  expiresAt: number | null;
}

export class TokenEndpointError extends Error {
  override name = 'TokenEndpointError';
}

/** Calls a token endpoint (code exchange or refresh) with the client's credentials. */
export async function requestTokens(
  fetch: OutboundFetch,
  tokenEndpoint: string,
  params: Record<string, string>,
  client: { clientId: string; clientSecret?: string | undefined },
): Promise<TokenSet> {
  const body = new URLSearchParams({ ...params, client_id: client.clientId });
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: body.toString(),
    timeoutMs: 10_000,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Reported below as a refusal without echoing the body, which may hold secrets.
  }
  if (!res.ok || typeof json.access_token !== 'string') {
    const code = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
    throw new TokenEndpointError(`The authorization server refused the token request (${code})`);
  }
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : null,
    expiresAt: typeof json.expires_in === 'number' ? Date.now() + json.expires_in * 1000 : null,
  };
}
