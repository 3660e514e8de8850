import { createHash, createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';

export interface Ed25519SigningKey {
  keyid: string;
  alg: 'ed25519';
  privateKey: JsonWebKey & { kid: string; kty: string };
  /** The public half, as published in a JWKS. */
  publicJwk: JsonWebKey & { kid: string; alg: 'EdDSA'; use: 'sig' };
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key from a 32-byte seed; its key id is a digest of the public key (RFC 7638-ish). */
export function ed25519FromSeed(seed: Buffer): Ed25519SigningKey {
  const privateKey = createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x }))
    .digest('base64url')
    .slice(0, 16);
  const privateJwk = privateKey.export({ format: 'jwk' });
  return {
    keyid: kid,
    alg: 'ed25519',
    privateKey: { ...privateJwk, kty: privateJwk.kty ?? 'OKP', kid },
    publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' },
  };
}
