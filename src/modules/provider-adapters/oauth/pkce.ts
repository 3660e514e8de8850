import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256, for providers whose consent supports it. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}
