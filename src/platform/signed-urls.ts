import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring URLs for things this server serves without an API key (report downloads,
 * asset links): the path and query as given, plus `expires` (unix seconds) and `signature`
 * (HMAC-SHA256 over both, base64url). Every instance deriving the key from the same secret
 * material verifies every other's URLs.
 */
export interface UrlSigner {
  /** `pathAndQuery` with `expires` and `signature` appended. */
  sign(pathAndQuery: string, expiresAt: Date): string;
  /**
   * Checks a signed path (as the request line gives it). `expired` only once the signature is
   * good, so a forged URL never learns whether its expiry was plausible.
   */
  verify(signedPathAndQuery: string, now?: Date): SignatureCheck;
}

export type SignatureCheck =
  { ok: true; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

export function createUrlSigner(key: Buffer): UrlSigner {
  if (key.length < 32) throw new Error('a URL signing key must be at least 32 bytes');
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');

  return {
    sign(pathAndQuery, expiresAt) {
      const unsigned = `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}expires=${Math.floor(expiresAt.getTime() / 1000)}`;
      return `${unsigned}&signature=${mac(unsigned)}`;
    },
    verify(signed, now = new Date()) {
      const at = signed.lastIndexOf('&signature=');
      if (at < 0) return { ok: false, reason: 'invalid' };
      const unsigned = signed.slice(0, at);
      // Compared as text, not decoded: base64url has several spellings of the same bytes (the
      // last character's spare bits), and only the one we issued is a valid link.
      const given = Buffer.from(signed.slice(at + '&signature='.length));
      const expected = Buffer.from(mac(unsigned));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'invalid' };
      }
      const expires = /[?&]expires=(\d{1,12})$/.exec(unsigned);
      if (!expires) return { ok: false, reason: 'invalid' };
      const expiresAt = new Date(Number(expires[1]) * 1000);
      if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true, expiresAt };
    },
  };
}
