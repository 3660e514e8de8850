import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to stored assets: an HMAC-SHA256 over the asset id and the expiry,
 * keyed with bytes derived from INTERCHANGE_SECRET_KEY, so every instance sharing the key
 * signs and checks alike and nobody without it can mint or stretch a link.
 */
export interface UrlSigner {
  /** The query of a link to `assetId` valid until `expiresAt` (seconds since the epoch). */
  sign(assetId: string, expiresAt: number): { expires: number; signature: string };
  /** 'ok', 'expired' (a genuine link past its time) or 'invalid' (tampered or forged). */
  check(
    assetId: string,
    expires: string | undefined,
    signature: string | undefined,
    nowSeconds: number,
  ): 'ok' | 'expired' | 'invalid';
}

export function createUrlSigner(key: Buffer): UrlSigner {
  const mac = (assetId: string, expires: number) =>
    createHmac('sha256', key).update(`asset\n${assetId}\n${expires}`).digest('base64url');
  return {
    sign(assetId, expiresAt) {
      const expires = Math.floor(expiresAt);
      return { expires, signature: mac(assetId, expires) };
    },
    check(assetId, expires, signature, nowSeconds) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
      const expected = Buffer.from(mac(assetId, Number(expires)));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      // Checked after the signature, so an expiry pushed forward is 'invalid', not 'expired'.
      return Number(expires) < nowSeconds ? 'expired' : 'ok';
    },
  };
}
