import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `ix_<prefix>_<secret>`. The prefix is stored in clear for lookup; only a
 * SHA-256 of the whole key is stored, which is enough for 192 bits of random secret.
 */
export interface MintedKey {
  key: string;
  prefix: string;
  hash: string;
}

const keyPattern = /^ix_([a-z0-9]{12})_([A-Za-z0-9_-]{32})$/;

export function mintApiKey(): MintedKey {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0');
  const secret = randomBytes(24).toString('base64url');
  const key = `ix_${prefix.slice(0, 12).padEnd(12, '0')}_${secret}`;
  return { key, prefix: lookupOf(key), hash: hashApiKey(key) };
}

function prefixOf(key: string): string | undefined {
  return keyPattern.exec(key)?.[1];
}

/**
 * The indexed lookup value of a presented key: the clear prefix of our own keys, or a hash stem for
 * an operator-chosen INTERCHANGE_ADMIN_KEY of another shape. The full hash is checked afterwards.
 */
export function lookupOf(key: string): string {
  return prefixOf(key) ?? `h${hashApiKey(key).slice(0, 15)}`;
}

/** What may be shown of a key after it was minted: enough to recognise it, never to use it. */
export function displayPrefixOf(key: string): string {
  const prefix = prefixOf(key);
  return prefix ? `ix_${prefix}` : 'custom';
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
