import { createHash } from 'node:crypto';

/**
 * The digest an outbound idempotency key carries: SHA-256 of what the key names, base64url, cut
 * to `chars`. Each caller keeps the length its keys were first sent with: a seller matches a
 * retried request by its key, so a key that changed across a deploy would turn a retry into a
 * new request (for a buy, a second buy).
 */
export function idempotencyDigest(text: string, chars: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, chars);
}
