import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { OutboundFetch } from '../../platform/outbound/index.js';

/**
 * JWT credentials (RFC 7523 JWT bearer grant): sign an assertion with the configured private key,
 * exchange it at the token endpoint for an access token, and cache the token until shortly before
 * it expires, so a busy source is not asked for a token per call.
 */
export interface JwtGrant {
  privateKey: string;
  issuer: string;
  subject: string;
  keyId: string;
  scope: string;
  tokenEndpointUrl: string;
  audienceUrl: string;
  algorithm: 'ES256' | 'RS256';
}

export class JwtGrantError extends Error {
  override name = 'JwtGrantError';
}

const refreshMarginMs = 60_000;
const assertionLifetimeS = 300;
const maxCachedTokens = 10_000;

/**
 * The grant's every field, private key included, hashed: an edited credential (a rotated key, a
 * new scope) never reuses the token its previous version earned.
 */
function fingerprintOf(grant: JwtGrant): string {
  const fields = [
    grant.privateKey,
    grant.algorithm,
    grant.keyId,
    grant.issuer,
    grant.subject,
    grant.scope,
    grant.audienceUrl,
    grant.tokenEndpointUrl,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

export function createJwtTokenSource(fetch: OutboundFetch, now: () => number = Date.now) {
  const cache = new Map<string, { token: string; expiresAt: number }>();

  /**
   * `owner` names the credential record the grant is stored in (see credentialOwner). Tokens are
   * cached per owner and grant fingerprint, never by the grant's public fields alone: anyone can
   * copy those, and only the private key proves the token is theirs.
   */
  return async function accessTokenFor(
    grant: JwtGrant,
    owner: string,
    timeoutMs: number,
  ): Promise<string> {
    const key = `${owner}\n${fingerprintOf(grant)}`;
    const cached = cache.get(key);
    if (cached && cached.expiresAt - refreshMarginMs > now()) return cached.token;

    let signingKey: Awaited<ReturnType<typeof importPKCS8>>;
    try {
      signingKey = await importPKCS8(grant.privateKey, grant.algorithm);
    } catch {
      throw new JwtGrantError(`The private key is not a PKCS#8 ${grant.algorithm} key`);
    }
    const issuedAt = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope: grant.scope })
      .setProtectedHeader({ alg: grant.algorithm, kid: grant.keyId, typ: 'JWT' })
      .setIssuer(grant.issuer)
      .setSubject(grant.subject)
      .setAudience(grant.audienceUrl)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + assertionLifetimeS)
      .setJti(crypto.randomUUID())
      .sign(signingKey);

    const response = await fetch(grant.tokenEndpointUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
        scope: grant.scope,
      }).toString(),
      timeoutMs,
    });
    const text = await response.text();
    if (!response.ok) {
      throw new JwtGrantError(`The token endpoint refused the JWT grant (HTTP ${response.status})`);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new JwtGrantError('The token endpoint did not answer JSON');
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new JwtGrantError('The token endpoint answered without an access_token');
    }
    const lifetimeS = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    if (cache.size >= maxCachedTokens) {
      for (const [k, entry] of cache) if (entry.expiresAt <= now()) cache.delete(k);
      if (cache.size >= maxCachedTokens) cache.clear();
    }
    cache.set(key, { token: body.access_token, expiresAt: now() + lifetimeS * 1000 });
    return body.access_token;
  };
}
