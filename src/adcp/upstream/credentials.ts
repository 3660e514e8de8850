import type { UpstreamAuth } from './types.js';

/** The secret an UpstreamAuth presents, if any. */
export function secretOf(auth: UpstreamAuth): string | undefined {
  switch (auth.type) {
    case 'NO_AUTH':
      return undefined;
    case 'API_KEY':
    case 'JWT':
      return auth.token;
    case 'OAUTH':
      return auth.accessToken;
  }
}

/**
 * Headers that present the credentials the way @adcp/sdk's client does on both protocols
 * (see its createMCPAuthHeaders): `Authorization: Bearer <token>` and `x-adcp-auth: <token>`.
 */
export function credentialHeaders(auth: UpstreamAuth): Record<string, string> {
  const secret = secretOf(auth);
  return secret ? { authorization: `Bearer ${secret}`, 'x-adcp-auth': secret } : {};
}

/** `text` with every occurrence of the secrets replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe;
}
