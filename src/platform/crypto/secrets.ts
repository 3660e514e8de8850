import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM, each ciphertext tagged with the id of the key that sealed it so
 * keys can rotate. Format: `v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 */
export interface SecretBox {
  readonly currentKeyId: string;
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
  /** Whether a sealed value was made with a key other than the current one. */
  needsRotation(sealed: string): boolean;
  /**
   * 32 bytes derived (HKDF-SHA256) from the current key for one purpose, e.g. a signing key
   * seed: every instance sharing INTERCHANGE_SECRET_KEY derives the same bytes.
   */
  derive(purpose: string): Buffer;
}

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

/**
 * Parses INTERCHANGE_SECRET_KEY: one or more comma-separated `keyId:base64` (or bare base64) keys of
 * 32 bytes. The first seals new secrets; the rest only open old ones.
 */
export function parseKeyring(raw: string): Key[] {
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      const encoded = colon === -1 ? part : part.slice(colon + 1);
      const bytes = Buffer.from(encoded, 'base64');
      if (bytes.length !== 32) {
        throw new SecretKeyError('each key must be 32 bytes, base64-encoded');
      }
      const id = colon === -1 ? deriveKeyId(bytes) : part.slice(0, colon);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new SecretKeyError('a key id must be 1-32 letters, digits, _ or -');
      }
      return { id, bytes };
    });
  if (keys.length === 0) throw new SecretKeyError('no key given');
  return keys;
}

export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

export function createSecretBox(raw: string): SecretBox {
  const keys = parseKeyring(raw);
  const current = keys[0] as Key;
  const byId = new Map(keys.map((k) => [k.id, k]));
  return {
    currentKeyId: current.id,
    seal(plaintext, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
      // The context (e.g. "inventory_source:42") is bound as AAD so a ciphertext cannot be
      // copied onto another row and still open.
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', current.id, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
    },
    open(sealed, context = '') {
      const [version, keyId, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !keyId || !iv || !tag || body === undefined) {
        throw new SecretKeyError('not a sealed secret');
      }
      const key = byId.get(keyId);
      if (!key) throw new SecretKeyError(`no key with id ${keyId} is configured`);
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, unb64(iv));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(unb64(tag));
      try {
        return Buffer.concat([decipher.update(unb64(body)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('secret failed authentication');
      }
    },
    needsRotation(sealed) {
      return sealed.split('.')[1] !== current.id;
    },
    derive(purpose) {
      return Buffer.from(hkdfSync('sha256', current.bytes, Buffer.alloc(0), purpose, 32));
    },
  };
}

function deriveKeyId(bytes: Buffer): string {
  return `k${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}`;
}

const b64 = (buf: Buffer) => buf.toString('base64url');
const unb64 = (text: string) => Buffer.from(text, 'base64url');
